import Fluent
import LeagueCore

/// An application belongs to the branch it was made to; a quota to the unit it was given.
extension AdmissionApplication: UnitScoped {
    static var unitPathField: KeyPath<AdmissionApplication, FieldProperty<AdmissionApplication, TreePath>> { \.$branchPath }
}

extension AdmissionQuota: UnitScoped {
    static var unitPathField: KeyPath<AdmissionQuota, FieldProperty<AdmissionQuota, TreePath>> { \.$unitPath }
}
