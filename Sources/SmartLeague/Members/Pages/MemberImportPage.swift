import LeagueCore

/// 批量导入团员: the upload form, with the columns the file may have.
struct MemberImportPage: Encodable {
    let form: FormState
    let headers = MemberFields.columns.map(\.header)
}
