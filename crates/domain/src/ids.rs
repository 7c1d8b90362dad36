//! Typed ids, so one record's id can never be passed where another's is meant.

use serde::{Deserialize, Serialize};

macro_rules! id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }
    };
}

id!(
    /// The id of an org unit (republic, region, district or school).
    OrgUnitId
);
id!(
    /// The id of a user account.
    UserId
);
id!(
    /// The id of a campaign year.
    CampaignId
);
id!(
    /// The id of a child's record (one per IIN per campaign).
    ChildId
);
id!(
    /// The id of a ledger entry (an act of help, or its reversal).
    EntryId
);
id!(
    /// The id of a proof of purchase.
    ProofId
);
id!(
    /// The id of a sponsor.
    SponsorId
);
id!(
    /// The id of a sponsor's hold on a need (a reservation).
    HoldId
);
id!(
    /// The id of a child's need.
    NeedId
);
id!(
    /// The id of a transfer request between schools.
    TransferId
);
id!(
    /// The id of an import job.
    ImportJobId
);
id!(
    /// The id of a raid.
    RaidId
);
id!(
    /// The id of a sync conflict (a change made offline to a record changed meanwhile).
    ConflictId
);
