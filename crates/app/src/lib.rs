//! The application layer: Doroga's use cases, area by area. Each function takes the actor (or,
//! for sign-in and the public pages, what stands in for one) and typed inputs, and returns domain
//! values or read models; the pages and the JSON API are two thin doors onto the same functions,
//! so they check, refuse and answer alike. Only this crate reaches the storage (`db`); the web
//! crate cannot name it.
//!
//! Imports, exports and background jobs live here too: they need no HTTP.

pub mod appeals;
pub mod attendance;
pub mod audit;
pub mod backup;
pub mod campaigns;
pub mod checks;
pub mod child_import;
pub mod children;
pub mod entity;
mod error;
pub mod export;
pub mod ledger;
pub mod notify;
pub mod org_import;
pub mod orgs;
pub mod passport;
pub mod poster;
pub mod proofs;
pub mod public;
pub mod raids;
pub mod reports;
pub mod sessions;
mod sheet;
pub mod sms;
pub mod sponsors;
pub mod survey;
pub mod throttle;
pub mod today;
pub mod tokens;
pub mod users;

pub use error::{Denial, Error};

/// What every use case runs on: the database pool, the progress of the imports this process
/// runs, the catalogues (an import reads column headers in either language) and the hash that
/// unknown logins are checked against. Cheap to clone.
#[derive(Debug, Clone)]
pub struct Core {
    db: db::Db,
    /// The pool an import checks and writes its batches through (the main pool unless given one
    /// of its own): the large statements of a bulk write, prepared and cached per connection, then
    /// live on its few connections instead of on every connection of the main pool.
    bulk: db::Db,
    jobs: std::sync::Arc<child_import::Jobs>,
    /// An argon2id hash of a random string: unknown logins are checked against it, so the
    /// answer takes as long as for a real account.
    dummy_hash: std::sync::Arc<str>,
    /// The Russian and Kazakh catalogues.
    catalog: std::sync::Arc<i18n::Catalog>,
    /// The current campaign as last read (`campaigns::current`).
    current: std::sync::Arc<campaigns::Remembered>,
    /// This server's name among those on the database (it marks the import jobs it runs).
    runner: std::sync::Arc<str>,
}

/// The pool's size and idle connections, for the metrics page.
#[derive(Debug, Clone, Copy, Default)]
pub struct PoolStats {
    /// Open connections.
    pub size: u32,
    /// Of which idle.
    pub idle: u32,
}

impl Core {
    /// The core over an open pool (the catalogues parsed; fails if one does not parse).
    pub fn new(db: db::Db) -> Result<Self, Error> {
        let dummy_hash = domain::password::hash(&domain::password::one_time()).map_err(Error::internal)?;
        let catalog = i18n::Catalog::load().map_err(Error::Internal)?;
        Ok(Self {
            bulk: db.clone(),
            db,
            jobs: Default::default(),
            dummy_hash: dummy_hash.into(),
            catalog: catalog.into(),
            current: Default::default(),
            runner: format!("process-{}", domain::token::generate()).into(),
        })
    }

    /// Names this server among those on the database: the same name after a restart, so that a
    /// start fails at once the import jobs the killed process left (the default is a new name
    /// each start: those jobs are failed once their heartbeat is stale).
    pub fn with_runner(mut self, name: &str) -> Self {
        self.runner = name.into();
        self
    }

    /// This server's name among those on the database.
    pub fn runner(&self) -> &str {
        &self.runner
    }

    /// Gives imports a pool of their own (one connection is enough: a database takes one bulk
    /// write at a time from a school's list anyway).
    pub fn with_bulk_pool(mut self, pool: db::Db) -> Self {
        self.bulk = pool;
        self
    }

    /// The pool imports go through.
    pub(crate) fn bulk(&self) -> &db::Db {
        &self.bulk
    }

    /// The Russian and Kazakh catalogues.
    pub fn catalog(&self) -> &std::sync::Arc<i18n::Catalog> {
        &self.catalog
    }

    /// Opens a pool on `url` (`sqlite://path?mode=rwc` or `postgres://…`).
    pub async fn connect(url: &str, max_connections: u32) -> Result<Self, Error> {
        Self::new(db::connect(url, max_connections).await?)
    }

    /// Runs the pending migrations (and the start-up repairs `db::migrate` makes).
    pub async fn migrate(&self) -> Result<(), Error> {
        Ok(db::migrate(&self.db).await?)
    }

    /// Whether the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<(), Error> {
        Ok(db::ping(&self.db).await?)
    }

    /// The pool's size and idle connections.
    pub fn pool_stats(&self) -> PoolStats {
        use sea_orm::DatabaseBackend;
        match self.db.get_database_backend() {
            DatabaseBackend::Postgres => {
                let pool = self.db.get_postgres_connection_pool();
                PoolStats { size: pool.size(), idle: pool.num_idle() as u32 }
            }
            _ => {
                let pool = self.db.get_sqlite_connection_pool();
                PoolStats { size: pool.size(), idle: pool.num_idle() as u32 }
            }
        }
    }

    /// The imports' progress.
    pub fn jobs(&self) -> &child_import::Jobs {
        &self.jobs
    }
}
