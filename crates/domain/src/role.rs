//! Roles (MISSION.md §3) and what each may do. The scope check lives in [`crate::Scope`].

use serde::{Deserialize, Serialize};

use crate::org::OrgKind;

/// A user's role. Each user has one role at one org unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The Committee: the whole country.
    RepublicCoordinator,
    /// A region's education department or ombudsman office.
    RegionCoordinator,
    /// A district's education department.
    DistrictCoordinator,
    /// A school's social pedagogue or deputy director.
    SchoolCoordinator,
    /// A police inspector, KDN member or NGO member on raids.
    RaidMember,
    /// Prosecutor's office or finance control: reads everything in scope.
    Auditor,
    /// A sponsor: sees only anonymised needs.
    Sponsor,
}

impl Role {
    /// Every role, in the order they are offered.
    pub const ALL: [Role; 7] = [
        Role::RepublicCoordinator,
        Role::RegionCoordinator,
        Role::DistrictCoordinator,
        Role::SchoolCoordinator,
        Role::RaidMember,
        Role::Auditor,
        Role::Sponsor,
    ];

    /// The stable code stored in the database and used in the API.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::RepublicCoordinator => "republic_coordinator",
            Role::RegionCoordinator => "region_coordinator",
            Role::DistrictCoordinator => "district_coordinator",
            Role::SchoolCoordinator => "school_coordinator",
            Role::RaidMember => "raid_member",
            Role::Auditor => "auditor",
            Role::Sponsor => "sponsor",
        }
    }

    /// Parses the stable code.
    pub fn parse(s: &str) -> Option<Self> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The level a coordinator runs, if this is a coordinator role.
    pub fn coordinates(self) -> Option<OrgKind> {
        match self {
            Role::RepublicCoordinator => Some(OrgKind::Republic),
            Role::RegionCoordinator => Some(OrgKind::Region),
            Role::DistrictCoordinator => Some(OrgKind::District),
            Role::SchoolCoordinator => Some(OrgKind::School),
            _ => None,
        }
    }

    /// Whether a user with this role may be attached to a unit of `kind`.
    pub fn fits_unit(self, kind: OrgKind) -> bool {
        match self {
            Role::RaidMember => matches!(kind, OrgKind::Region | OrgKind::District | OrgKind::School),
            Role::Auditor => true,
            Role::Sponsor => matches!(kind, OrgKind::Republic | OrgKind::Region),
            coordinator => coordinator.coordinates() == Some(kind),
        }
    }

    /// May read the org hierarchy within the scope.
    pub fn can_view_orgs(self) -> bool {
        self != Role::Sponsor
    }

    /// May create, edit and deactivate org units and users within the scope.
    pub fn is_coordinator(self) -> bool {
        self.coordinates().is_some()
    }

    /// May read children's personal data (names, IINs, families) within the scope. Others see
    /// anonymised records; sponsors and the public see none.
    pub fn can_read_personal_data(self) -> bool {
        self.is_coordinator() || self == Role::Auditor
    }

    /// May add and change children's records within the scope.
    pub fn can_edit_children(self) -> bool {
        self.is_coordinator()
    }

    /// May read the audit log within the scope.
    pub fn can_view_audit(self) -> bool {
        self.is_coordinator() || self == Role::Auditor
    }

    /// Whether a user with this role may give `other` to somebody: never more than they have.
    /// Coordinators grant their own level or lower, raid members and auditors; sponsors are
    /// registered by region and republic coordinators.
    pub fn can_grant(self, other: Role) -> bool {
        let Some(own) = self.coordinates() else { return false };
        match other {
            Role::RaidMember | Role::Auditor => true,
            Role::Sponsor => own <= OrgKind::Region,
            coordinator => coordinator.coordinates().is_some_and(|level| level >= own),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nobody_grants_more_than_they_have() {
        use Role::*;
        assert!(RepublicCoordinator.can_grant(RegionCoordinator));
        assert!(RegionCoordinator.can_grant(RegionCoordinator));
        assert!(RegionCoordinator.can_grant(Sponsor));
        assert!(!RegionCoordinator.can_grant(RepublicCoordinator));
        assert!(!DistrictCoordinator.can_grant(RegionCoordinator));
        assert!(!DistrictCoordinator.can_grant(Sponsor));
        assert!(SchoolCoordinator.can_grant(SchoolCoordinator));
        assert!(!SchoolCoordinator.can_grant(DistrictCoordinator));
        for r in Role::ALL {
            assert!(!Auditor.can_grant(r));
            assert!(!RaidMember.can_grant(r));
            assert!(!Sponsor.can_grant(r));
        }
    }

    #[test]
    fn roles_round_trip_and_fit_their_units() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert!(Role::SchoolCoordinator.fits_unit(OrgKind::School));
        assert!(!Role::SchoolCoordinator.fits_unit(OrgKind::District));
        assert!(!Role::Sponsor.fits_unit(OrgKind::School));
    }
}
