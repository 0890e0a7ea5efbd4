import Fluent
import LeagueCore
import Vapor

/// 三会一课: a unit's branches by compliance, a branch's record, a meeting, and the cadence.
struct OrgLifeController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let orgLife = routes.grouped("orglife")
        orgLife.get(use: overview)
        orgLife.get("branches", ":id", use: branch)
        orgLife.upload("branches", ":id", "meetings", maxSize: "21mb", use: record)
        orgLife.get("meetings", ":id", use: meeting)
        orgLife.get("meetings", ":id", "files", ":file", use: download)
        orgLife.post("cadence", use: setCadence)
    }

    struct Row: Encodable {
        let id: Int
        let name: String
        let percent: Int
        let lagging: Bool
        let met: Int
        let due: Int
        let missing: String
    }

    struct Bucket: Encodable {
        let label: String
        let count: Int
        let y: Int
        let width: Int
    }

    struct CadenceRow: Encodable {
        let kind: String
        let label: String
        let cadence: String
        let options: [Choice]
    }

    struct OverviewPage: Encodable {
        let unitID: Int
        let unitName: String
        let year: Int
        let branches: Int
        let rows: [Row]
        let hasRows: Bool
        let buckets: [Bucket]
        let pagination: Pagination
        let cadence: [CadenceRow]
        let canSetCadence: Bool
    }

    static func missingText(_ compliance: Compliance) -> String {
        compliance.items.filter { !$0.missing.isEmpty }
            .map { "\($0.kind.label)缺 \($0.missing.count) 次（\($0.missing.prefix(3).map(Cadence.label(ofPeriod:)).joined(separator: "、"))\($0.missing.count > 3 ? "等" : "")）" }
            .joined(separator: "；")
    }

    @Sendable func overview(req: Request) async throws -> Response {
        let unit = try await req.chosenUnit()
        let today = req.today
        let year = (try? req.query.get(Int.self, at: "year")).flatMap { (2000...today.year).contains($0) ? $0 : nil } ?? today.year
        let all = try await OrgLifeQueries.compliance(under: unit, year: year, today: today, scope: req.scope, on: req.db)
        let pagination = Pagination(page: Pagination.requestedPage(req), pageSize: 50, total: all.count,
                                    keep: ["unit": String(unit.id!), "year": String(year)])
        let ranges: [(String, ClosedRange<Int>)] = [("不足60%", 0...59), ("60%–79%", 60...79), ("80%–99%", 80...99), ("100%", 100...100)]
        let counts = ranges.map { range in all.filter { range.1.contains($0.compliance.percent) }.count }
        let largest = max(1, counts.max() ?? 1)
        let cadence = try await MeetingWrites.cadence(on: req.db)
        return try await req.page("orglife/overview", title: "三会一课", OverviewPage(
            unitID: unit.id!, unitName: unit.name, year: year, branches: all.count,
            rows: all.dropFirst(pagination.offset).prefix(pagination.pageSize).map {
                Row(id: $0.branch.id!, name: $0.branch.name, percent: $0.compliance.percent, lagging: $0.compliance.isLagging,
                    met: $0.compliance.met,
                    due: $0.compliance.due, missing: Self.missingText($0.compliance))
            },
            hasRows: !all.isEmpty,
            buckets: zip(ranges, counts).enumerated().map { index, pair in
                Bucket(label: pair.0.0, count: pair.1, y: 10 + index * 34, width: pair.1 * 400 / largest)
            },
            pagination: pagination,
            cadence: MeetingKind.allCases.map { kind in
                CadenceRow(kind: kind.rawValue, label: kind.label, cadence: cadence[kind]!.rawValue,
                           options: Cadence.allCases.map { .init(value: $0.rawValue, label: $0.label) })
            },
            canSetCadence: req.scope.isCityWide))
    }

    struct MeetingRow: Encodable {
        let id: Int
        let kind: String
        let heldOn: String
        let topic: String
        let teacher: String
        let present: Int
    }

    struct MemberChoice: Encodable {
        let id: Int
        let name: String
        let checked: Bool
    }

    struct BranchPage: Encodable {
        let id: Int
        let name: String
        let year: Int
        let percent: Int
        let items: [ComplianceItem]
        let meetings: [MeetingRow]
        let hasMeetings: Bool
        let members: [MemberChoice]
        let trainees: [MemberChoice]
        let hasTrainees: Bool
        let kinds: [Choice]
        let form: FormState
    }

    struct ComplianceItem: Encodable {
        let kind: String
        let met: Int
        let due: Int
        let missing: String
    }

    private func branchPage(_ req: Request, id: Int, form: FormState, attendees: Set<Int>, applicants: Set<Int> = [],
                            status: HTTPResponseStatus) async throws -> Response {
        let branch = try await req.scope.organization(id, on: req.db)
        guard branch.type.isBranch else { throw Abort(.notFound) }
        let today = req.today
        let compliance = try await OrgLifeQueries.compliance(under: branch, year: today.year, today: today, scope: req.scope, on: req.db)
            .first?.compliance ?? Compliance(held: [:], cadence: [:], from: today, to: today)
        let meetings = try await req.scope.query(Meeting.self, on: req.db).filter(\.$branchID == id).sort(\.$heldOn, .descending).range(0..<100).all()
        let present = try await MeetingAttendance.query(on: req.db).filter(\.$meetingID ~~ meetings.map { $0.id! }).all()
        let trainees = try await req.scope.query(AdmissionApplication.self, on: req.db).filter(\.$branchID == id)
            .filter(\.$stage ~~ AdmissionStage.inTraining).sort(\.$name).all()
        let counts = Dictionary(grouping: present, by: \.meetingID).mapValues(\.count)
        let members = try await req.scope.members(on: req.db).filter(\.$branchID == id).sort(\.$name).range(0..<500).all()
        var state = form
        if state.values["heldOn"] == nil { state.values["heldOn"] = today.description }
        return try await req.page("orglife/branch", title: "三会一课", BranchPage(
            id: id, name: branch.name, year: today.year, percent: compliance.percent,
            items: compliance.items.map {
                ComplianceItem(kind: $0.kind.label, met: $0.met, due: $0.due,
                               missing: $0.missing.map(Cadence.label(ofPeriod:)).joined(separator: "、"))
            },
            meetings: meetings.map {
                MeetingRow(id: $0.id!, kind: $0.kind.label, heldOn: $0.heldOn, topic: $0.topic,
                           teacher: ($0.teacher ?? "") + ($0.teacherIsHead ? "（基层团委书记）" : ""), present: counts[$0.id!] ?? 0)
            },
            hasMeetings: !meetings.isEmpty,
            members: members.map { MemberChoice(id: $0.id!, name: $0.name, checked: attendees.contains($0.id!)) },
            trainees: trainees.map { MemberChoice(id: $0.id!, name: $0.name, checked: applicants.contains($0.id!)) },
            hasTrainees: !trainees.isEmpty,
            kinds: MeetingKind.allCases.map { .init(value: $0.rawValue, label: $0.label) }, form: state), status: status)
    }

    @Sendable func branch(req: Request) async throws -> Response {
        try await branchPage(req, id: try req.id(), form: FormState(), attendees: [], status: .ok)
    }

    @Sendable func record(req: Request) async throws -> Response {
        let id = try req.id()
        let (form, files) = try req.formWithFiles()
        var state = FormState(values: form)
        let kind = MeetingKind(rawValue: form["kind"] ?? "")
        if kind == nil { state.errors["kind"] = "请选择会议类型" }
        let heldOn = state.check("heldOn") { try FormField.date(form["heldOn"], label: "会议日期", required: true) } ?? nil
        let topic = state.check("topic") { try FormField.requiredText(form["topic"], label: "主题", min: 2, max: 100) }
        let place = state.check("place") { try FormField.requiredText(form["place"], label: "地点", max: 100) }
        let minutes = state.check("minutes") { try FormField.requiredText(form["minutes"], label: "会议记录", min: 10, max: 20000) }
        let teacher = state.check("teacher") { try FormField.text(form["teacher"], label: "授课人", required: false, max: 30) } ?? nil
        let hours = Int(form["classHours"] ?? "") ?? 0
        // Ticked members arrive as present-<id>=1, so that any number of them fit a plain form.
        let attendees = form.keys.compactMap { $0.hasPrefix("present-") ? Int($0.dropFirst(8)) : nil }
        let applicants = form.keys.compactMap { $0.hasPrefix("trainee-") ? Int($0.dropFirst(8)) : nil }
        if attendees.isEmpty { state.errors["attendees"] = "请勾选出席人员" }
        var file: Upload?
        do { file = try Upload.check(files["file"], field: "file", allowed: [.pdf, .png, .jpeg]) } catch let refusal as Refusal {
            state.errors["file"] = refusal.message
        }
        let change = req.changeContext
        let today = req.today
        return try await req.submit(state, write: { [file] db in
            try await MeetingWrites.record(branchID: id, .init(
                kind: kind!, heldOn: heldOn!, topic: topic!, place: place!, minutes: minutes!, teacher: teacher,
                teacherIsHead: form["teacherIsHead"] == "1", classHours: hours, attendees: attendees, applicants: applicants, file: file),
                today: today, change, on: db)
        }, then: { meeting in
            try await req.redirect(to: "/orglife/branches/\(id)", flash: "已登记\(meeting.kind.label)「\(meeting.topic)」。")
        }, otherwise: { state in
            try await branchPage(req, id: id, form: state, attendees: Set(attendees), applicants: Set(applicants),
                                 status: .unprocessableEntity)
        })
    }

    struct FileView: Encodable {
        let id: Int
        let name: String
        let size: String
    }

    struct MeetingPage: Encodable {
        let id: Int
        let branchID: Int
        let branchName: String
        let kind: String
        let heldOn: String
        let topic: String
        let place: String
        let minutes: String
        let teacher: String
        let classHours: Int
        let present: [String]
        let files: [FileView]
        let hasFiles: Bool
        let recordedBy: String
    }

    @Sendable func meeting(req: Request) async throws -> Response {
        let meeting = try await req.scope.find(Meeting.self, try req.id(), on: req.db)
        let branch = try await req.scope.organization(meeting.branchID, on: req.db)
        let (members, trainees) = try await req.scope.attendees(of: meeting, on: req.db)
        let present = members.map(\.name) + trainees.map { "\($0.name)（入团积极分子）" }
        let files = try await Attachments.list(ownerType: Meeting.attachmentOwner, ownerIDs: [meeting.id!], on: req.db)[meeting.id!] ?? []
        return try await req.page("orglife/meeting", title: meeting.kind.label, MeetingPage(
            id: meeting.id!, branchID: branch.id!, branchName: branch.name, kind: meeting.kind.label, heldOn: meeting.heldOn,
            topic: meeting.topic, place: meeting.place, minutes: meeting.minutes,
            teacher: (meeting.teacher ?? "") + (meeting.teacherIsHead ? "（基层团委书记）" : ""), classHours: meeting.classHours,
            present: present, files: files.map { FileView(id: $0.id!, name: $0.fileName, size: ByteSize.text($0.size)) },
            hasFiles: !files.isEmpty, recordedBy: meeting.recordedBy))
    }

    @Sendable func download(req: Request) async throws -> Response {
        let meeting = try await req.scope.find(Meeting.self, try req.id(), on: req.db)
        guard let file = req.parameters.get("file", as: Int.self) else { throw Abort(.notFound) }
        return try await Attachments.download(file, ownerType: Meeting.attachmentOwner, ownerID: meeting.id!, on: req.db)
    }

    @Sendable func setCadence(req: Request) async throws -> Response {
        let form = try req.form()
        guard let kind = MeetingKind(rawValue: form["kind"] ?? ""), let cadence = Cadence(rawValue: form["cadence"] ?? "") else {
            throw Abort(.badRequest, reason: "请选择会议类型和频次")
        }
        let change = req.changeContext
        return try await req.submit(FormState(values: form), write: { db in
            try await MeetingWrites.setCadence(kind, to: cadence, change, on: db)
        }, then: { _ in
            try await req.redirect(to: "/orglife", flash: "已将\(kind.label)设为\(cadence.label)。")
        }, otherwise: { state in
            throw Abort(.forbidden, reason: state.errors["_form"] ?? "无法调整频次")
        })
    }
}
