import Testing
@testable import LeagueCore

@Suite struct OrganizationTypeTests {
    @Test func branchesHoldNoChildren() {
        for type in OrganizationType.allCases where type.isBranch {
            #expect(type.allowedChildTypes.isEmpty, "\(type) must not hold children")
        }
        #expect(OrganizationType.allCases.filter(\.isBranch) == [.branch, .temporaryBranch, .mobileBranch, .transitionBranch])
    }

    @Test func childrenRankBelowTheirParent() {
        #expect(OrganizationType.cityCommittee.canHold(.districtCommittee))
        #expect(!OrganizationType.districtCommittee.canHold(.cityCommittee))
        #expect(!OrganizationType.districtCommittee.canHold(.districtCommittee))
        #expect(OrganizationType.generalBranch.canHold(.branch))
        #expect(!OrganizationType.generalBranch.canHold(.generalBranch))
        #expect(!OrganizationType.generalBranch.canHold(.committee))
        // A university committee holds faculty committees.
        #expect(OrganizationType.committee.canHold(.committee))
        #expect(OrganizationType.committee.canHold(.workingCommittee))
        #expect(OrganizationType.districtCommittee.canHold(.mobileBranch))
    }

    @Test func parsesRawValuesAndChineseLabels() {
        #expect(OrganizationType(input: "branch") == .branch)
        #expect(OrganizationType(input: "团总支") == .generalBranch)
        #expect(OrganizationType(input: "团小组") == nil)
    }
}

@Suite struct TreePathTests {
    @Test func buildsAndParsesCanonicalPaths() {
        let path = TreePath(ids: [1, 17, 342])
        #expect(path.value == "/1/17/342/")
        #expect(path.depth == 2)
        #expect(TreePath("/1/17/342/") == path)
        for bad in ["", "/", "1/2/", "/1/2", "/1//2/", "/a/", "/0/", "/-1/"] {
            #expect(TreePath(bad) == nil, "\(bad) must be rejected")
        }
    }

    @Test func subtreeIsOneRangeThatExcludesLookalikeSiblings() {
        let unit = TreePath(ids: [1, 17])
        let inside = ["/1/17/", "/1/17/5/", "/1/17/999999/3/"]
        let outside = ["/1/170/", "/1/171/2/", "/1/16/", "/1/18/", "/1/"]
        for path in inside {
            #expect(path >= unit.subtreeLowerBound && path < unit.subtreeUpperBound, "\(path) is inside")
            #expect(unit.contains(TreePath(path)!))
        }
        for path in outside {
            #expect(!(path >= unit.subtreeLowerBound && path < unit.subtreeUpperBound), "\(path) is outside")
            #expect(!unit.contains(TreePath(path)!))
        }
    }

    @Test func rebasesADescendantUnderANewParent() {
        let moving = TreePath(ids: [1, 2, 5])
        let newParent = TreePath(ids: [1, 3])
        #expect(moving.rebased(TreePath(ids: [1, 2, 5, 9, 12]), under: newParent).value == "/1/3/5/9/12/")
        #expect(moving.rebased(moving, under: newParent).value == "/1/3/5/")
        #expect(moving.parent == TreePath(ids: [1, 2]))
    }
}

@Suite struct ChangeRequestStateTests {
    @Test func moveNeedsOldThenNewParent() throws {
        var state = ChangeRequestState(kind: .move)
        #expect(state.currentStep == .oldParent)
        #expect(throws: ChangeRequestState.Refusal.wrongStep(expected: .oldParent)) { try state.approve(.newParent) }
        #expect(try state.approve(.oldParent) == false)
        #expect(state.currentStep == .newParent)
        #expect(try state.approve(.newParent) == true)
        #expect(state.status == .approved)
        #expect(throws: ChangeRequestState.Refusal.notPending) { try state.approve(.newParent) }
    }

    @Test func rejectionNeedsAReasonAndEndsTheRequest() throws {
        var state = ChangeRequestState(kind: .rename)
        #expect(throws: ChangeRequestState.Refusal.reasonRequired) { try state.reject(.parent, reason: "  ") }
        try state.reject(.parent, reason: "名称不规范")
        #expect(state.status == .rejected)
        #expect(throws: ChangeRequestState.Refusal.notPending) { try state.withdraw() }
    }

    @Test func withdrawnRequestsCannotBeApproved() throws {
        var state = ChangeRequestState(kind: .move)
        try state.withdraw()
        #expect(state.currentStep == nil)
        #expect(throws: ChangeRequestState.Refusal.notPending) { try state.approve(.oldParent) }
    }
}

@Suite struct NingboSeedTests {
    @Test func tenDistrictsWithNingboAreaCodes() {
        #expect(NingboSeed.districts.count == 10)
        #expect(Set(NingboSeed.districts.map(\.code)).count == 10)
        #expect(NingboSeed.districts.allSatisfy { $0.code.hasPrefix("3302") && $0.type == .districtCommittee })
        #expect(NingboSeed.districts.contains { $0.name.contains("海曙区") })
        #expect(NingboSeed.root.type == .cityCommittee)
    }
}
