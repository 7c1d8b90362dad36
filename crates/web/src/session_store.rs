//! Sessions live in the database, so a restart logs nobody out and several servers behind a
//! load balancer share them.

use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

/// The session key that holds the signed-in user's id.
pub const USER_KEY: &str = "user_id";

/// A [`SessionStore`] on Doroga's own `sessions` table.
#[derive(Debug, Clone)]
pub struct DbStore {
    core: app::Core,
}

impl DbStore {
    /// A store on the core's database.
    pub fn new(core: app::Core) -> Self {
        Self { core }
    }
}

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

fn parts(record: &Record) -> Result<(String, String, i64, Option<domain::UserId>)> {
    let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
    let user = record.data.get(USER_KEY).and_then(serde_json::Value::as_i64).map(domain::UserId);
    Ok((record.id.to_string(), data, record.expiry_date.unix_timestamp(), user))
}

#[async_trait::async_trait]
impl SessionStore for DbStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        loop {
            let (id, data, expires, user) = parts(record)?;
            if app::sessions::create(&self.core, &id, &data, expires, user).await.map_err(backend)? {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let (id, data, expires, user) = parts(record)?;
        app::sessions::save(&self.core, &id, &data, expires, user).await.map_err(backend)
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let now = time::OffsetDateTime::now_utc().unix_timestamp();
        let Some((data, expires)) = app::sessions::load(&self.core, &id.to_string(), now).await.map_err(backend)?
        else {
            return Ok(None);
        };
        let data = serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?;
        let expiry_date =
            time::OffsetDateTime::from_unix_timestamp(expires).map_err(|e| Error::Decode(e.to_string()))?;
        Ok(Some(Record { id: *id, data, expiry_date }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        app::sessions::delete(&self.core, &id.to_string()).await.map_err(backend)
    }
}
