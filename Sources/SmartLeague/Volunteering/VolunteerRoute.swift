/// The volunteer platform as anyone and a volunteer see it, on a phone: posts, registration,
/// verification, the library, and the volunteer's own pages.
enum VolunteerRoute: SiteRoute {
    /// 岗位互通: published posts of every unit.
    case posts
    case post(Param<Int>)
    /// The public registration form, shown and posted.
    case register
    case verify
    case library
    case me
    /// A member's one-step registration from the ID on their record.
    case registerMember
    /// A member takes up a registration made with their ID number.
    case takeUp
    case signUp(Param<Int>)
    case cancel(Param<Int>)
    /// Where the organiser's QR code leads (`?post=&code=`).
    case checkIn
    case clockIn(Param<Int>)
    case clockOut(Param<Int>)
    case dispute(Param<Int>)
    case certificate(Param<Int>)

    static let namespace = "volunteer"

    var segments: [Segment] {
        switch self {
        case .posts: ["volunteer", "posts"]
        case .post(let id): ["volunteer", "posts", .id(id)]
        case .register: ["volunteer", "register"]
        case .verify: ["volunteer", "verify"]
        case .library: ["volunteer", "library"]
        case .me: ["volunteer", "me"]
        case .registerMember: ["volunteer", "me", "register"]
        case .takeUp: ["volunteer", "me", "take-up"]
        case .signUp(let id): ["volunteer", "posts", .id(id), "signup"]
        case .cancel(let id): ["volunteer", "signups", .id(id), "cancel"]
        case .checkIn: ["volunteer", "checkin"]
        case .clockIn(let id): ["volunteer", "signups", .id(id), "checkin"]
        case .clockOut(let id): ["volunteer", "signups", .id(id), "checkout"]
        case .dispute(let id): ["volunteer", "records", .id(id), "dispute"]
        case .certificate(let id): ["volunteer", "certificates", .id(id)]
        }
    }
}

/// 志愿服务 for league cadres: groups, projects and their posts, volunteers, hours, certificates,
/// coverage and identity checks.
enum VolunteeringRoute: SiteRoute {
    case index
    case stars
    /// The list of groups, and where a new one is asked for.
    case groups
    case decideGroup(Param<Int>)
    /// The list of projects, and where a new one is declared.
    case projects
    case project(Param<Int>)
    case decideProject(Param<Int>)
    case addPosts(Param<Int>)
    case volunteers
    case volunteer(Param<Int>)
    case issueCertificate(Param<Int>)
    case coverage
    case identity
    case decideIdentity(Param<Int>)
    /// An administrator of a member's branch confirms a registration made with the member's number.
    case memberTakeUp(Param<Int>)
    case post(Param<Int>)
    case qr(Param<Int>)
    case honor(Param<Int>)
    /// approve, reject or cancel one sign-up.
    case decideSignUp(Param<Int>, Param<String>)
    case disputes
    case resolve(Param<Int>)
    case correct(Param<Int>)
    case certificate(Param<Int>)

    static let namespace = "volunteering"

    var segments: [Segment] {
        switch self {
        case .index: ["volunteering"]
        case .stars: ["volunteering", "stars"]
        case .groups: ["volunteering", "groups"]
        case .decideGroup(let id): ["volunteering", "groups", .id(id), "decide"]
        case .projects: ["volunteering", "projects"]
        case .project(let id): ["volunteering", "projects", .id(id)]
        case .decideProject(let id): ["volunteering", "projects", .id(id), "decide"]
        case .addPosts(let id): ["volunteering", "projects", .id(id), "posts"]
        case .volunteers: ["volunteering", "volunteers"]
        case .volunteer(let id): ["volunteering", "volunteers", .id(id)]
        case .issueCertificate(let id): ["volunteering", "volunteers", .id(id), "certificates"]
        case .coverage: ["volunteering", "coverage"]
        case .identity: ["volunteering", "identity"]
        case .decideIdentity(let id): ["volunteering", "identity", .id(id), "decide"]
        case .memberTakeUp(let id): ["members", .id(id), "volunteer", "take-up"]
        case .post(let id): ["volunteering", "posts", .id(id)]
        case .qr(let id): ["volunteering", "posts", .id(id), "qr.svg"]
        case .honor(let id): ["volunteering", "posts", .id(id), "honor"]
        case .decideSignUp(let id, let decision): ["volunteering", "signups", .id(id), .word("decision", decision)]
        case .disputes: ["volunteering", "disputes"]
        case .resolve(let id): ["volunteering", "disputes", .id(id), "resolve"]
        case .correct(let id): ["volunteering", "records", .id(id), "correct"]
        case .certificate(let id): ["volunteering", "certificates", .id(id)]
        }
    }
}

/// 志愿服务项目大赛.
enum ContestRoute: SiteRoute {
    /// The list of contests, and where a new one is opened.
    case index
    case show(Param<Int>)
    case judges(Param<Int>)
    case entries(Param<Int>)
    case scores(Param<Int>)
    case close(Param<Int>)

    static let namespace = "contests"

    var segments: [Segment] {
        switch self {
        case .index: ["volunteering", "contests"]
        case .show(let id): ["volunteering", "contests", .id(id)]
        case .judges(let id): ["volunteering", "contests", .id(id), "judges"]
        case .entries(let id): ["volunteering", "contests", .id(id), "entries"]
        case .scores(let id): ["volunteering", "contests", .id(id), "scores"]
        case .close(let id): ["volunteering", "contests", .id(id), "close"]
        }
    }
}
