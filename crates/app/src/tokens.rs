//! Per-user API tokens: created and revoked by their owner, stored as hashes.

use domain::UserId;

use crate::entity::api_token;
use crate::users::UserWithUnit;
use crate::{Core, Error};

/// Creates a token for the user; returns the row and the secret, which is shown only now.
pub async fn create(core: &Core, owner: &UserWithUnit, name: &str) -> Result<(api_token::Model, String), Error> {
    Ok(db::tokens::create(&core.db, owner, name).await?)
}

/// The user's tokens, newest first.
pub async fn list(core: &Core, owner: UserId) -> Result<Vec<api_token::Model>, Error> {
    Ok(db::tokens::list(&core.db, owner).await?)
}

/// Revokes one of the user's tokens.
pub async fn revoke(core: &Core, owner: &UserWithUnit, token_id: i64) -> Result<(), Error> {
    Ok(db::tokens::revoke(&core.db, owner, token_id).await?)
}

/// The active owner of a live token with this secret, with the owner's unit.
pub async fn authenticate(core: &Core, secret: &str) -> Result<Option<UserWithUnit>, Error> {
    Ok(db::tokens::authenticate(&core.db, secret).await?.filter(|u| u.user.active))
}
