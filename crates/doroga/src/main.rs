//! `doroga`: the server and its command line.

mod backup;
mod bench;
mod bench_appeals;
mod bench_field;
mod bench_http;
mod bench_reports;
mod cli_error;
mod demo;
mod demo_appeals;
mod demo_attendance;
mod demo_raids;
mod user;
mod workers;

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::{Args, Parser, Subcommand};
use db::Db;
use tracing_subscriber::EnvFilter;

/// jemalloc, not glibc's malloc, for the whole process (`malloc` itself, so SQLite's C library's
/// allocations too): with a thread per SQLite connection and tokio's workers, glibc keeps an
/// arena a thread and its resident memory crept up for as long as the soak ran (+56 % in ten
/// minutes on SQLite); jemalloc gives freed pages back.
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// The information system of the campaign «Дорога в школу» / «Мектепке жол».
#[derive(Debug, Parser)]
#[command(name = "doroga", version)]
struct Cli {
    /// Database URL: `sqlite://FILE?mode=rwc` (the default, created on first start) or
    /// `postgres://user@host/db`.
    #[arg(long, env = "DOROGA_DATABASE_URL", default_value = "sqlite://doroga.db?mode=rwc", global = true)]
    database_url: String,
    /// Most database connections in the pool.
    #[arg(long, env = "DOROGA_DB_MAX_CONNECTIONS", default_value_t = 8, global = true)]
    db_max_connections: u32,
    /// `json` for structured logs, `text` for people.
    #[arg(long, env = "DOROGA_LOG_FORMAT", default_value = "text", global = true)]
    log_format: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Runs the web server (migrating the database first).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "DOROGA_BIND", default_value = "127.0.0.1:8080")]
        bind: SocketAddr,
        /// Load the demo data first and print the demo logins.
        #[arg(long)]
        demo: bool,
        /// Mark cookies Secure (set when served over HTTPS).
        #[arg(long, env = "DOROGA_SECURE_COOKIES", default_value_t = false)]
        secure_cookies: bool,
        /// Other origins allowed to POST (comma-separated), e.g. https://doroga.edu.kz.
        #[arg(long, env = "DOROGA_TRUSTED_ORIGINS", value_delimiter = ',')]
        trusted_origins: Vec<String>,
        /// This server's name among those on one database, the same after a restart (default: the
        /// host's name and the port), so that a restart fails at once the imports it was running.
        #[arg(long, env = "DOROGA_SERVER_ID")]
        server_id: Option<String>,
        /// The site's address as the public reaches it (the schools' posters' QR codes link there),
        /// e.g. https://doroga.edu.kz; by default the first trusted origin, else the request's host.
        #[arg(long, env = "DOROGA_PUBLIC_URL")]
        public_url: Option<String>,
        /// Addresses of the load balancers whose X-Forwarded-For names the client (comma-separated).
        #[arg(long, env = "DOROGA_TRUSTED_PROXIES", value_delimiter = ',')]
        trusted_proxies: Vec<std::net::IpAddr>,
        /// Longest request, in seconds.
        #[arg(long, env = "DOROGA_REQUEST_TIMEOUT", default_value_t = 60)]
        request_timeout: u64,
        /// Largest request body, in megabytes.
        #[arg(long, env = "DOROGA_BODY_LIMIT_MB", default_value_t = 10)]
        body_limit_mb: usize,
        /// Where uploaded files are kept (proofs of purchase, photos of raids' findings).
        #[arg(long, env = "DOROGA_UPLOAD_DIR", default_value = "uploads")]
        upload_dir: std::path::PathBuf,
        /// Largest uploaded file (a proof of purchase, a finding's photo), in MB.
        #[arg(long, env = "DOROGA_PROOF_LIMIT_MB", default_value_t = 10)]
        proof_limit_mb: usize,
        #[command(flatten)]
        mail: workers::Mail,
    },
    /// Runs pending database migrations and seeds the 20 regions.
    Migrate,
    /// Manages accounts.
    User {
        #[command(subcommand)]
        action: user::UserAction,
    },
    /// Loads a small realistic demo and prints one-time passwords for its users; with
    /// `--scale national`, a country-sized campaign for reports and benchmarks.
    Demo {
        /// `small` (a few schools and users), `national` (7,500 schools, 500,000 children,
        /// 1,500,000 ledger entries), or a fraction of national such as `0.1`.
        #[arg(long, default_value = "small")]
        scale: String,
    },
    /// Copies the database and the proofs into a new folder, while the server runs.
    Backup {
        /// The folder to write (new or empty).
        #[arg(long)]
        to: std::path::PathBuf,
        #[command(flatten)]
        uploads: backup::Uploads,
    },
    /// Restores a backup into a fresh database (`--database-url`) and upload folder, and checks it.
    Restore {
        /// The backup's folder.
        #[arg(long)]
        from: std::path::PathBuf,
        #[command(flatten)]
        uploads: backup::Uploads,
    },
    /// Benchmarks (figures for BENCHMARKS.md).
    Bench {
        #[command(subcommand)]
        what: BenchWhat,
    },
}

/// The national data set a benchmark runs on: a database of its own loaded at a scale, or one
/// already loaded.
#[derive(Debug, Args)]
struct DataSet {
    /// `sqlite` or `postgres`.
    #[arg(long, default_value = "sqlite")]
    db: String,
    /// PostgreSQL server for `--db postgres`.
    #[arg(long, env = "DOROGA_BENCH_PG_URL", default_value = "postgres://postgres@127.0.0.1:5432")]
    pg_url: String,
    /// Fraction of the national scale (1 = national).
    #[arg(long, default_value_t = 1.0)]
    scale: f64,
    /// A database that already holds the national data set (loaded by `doroga demo --scale
    /// national`): nothing is generated or dropped.
    #[arg(long)]
    url: Option<String>,
}

#[derive(Debug, Subcommand)]
enum BenchWhat {
    /// Loads the national data set into a database of its own and times the reports against
    /// the same SQL run raw.
    Reports {
        #[command(flatten)]
        data: DataSet,
        /// Timed runs of each report (after one warm-up).
        #[arg(long, default_value_t = 5)]
        runs: usize,
    },
    /// Loads the national data set (or uses `--url`) and puts the API under load with wrk,
    /// each case against the same SQL run raw (pgbench, or a loop on SQLite).
    Http {
        #[command(flatten)]
        data: DataSet,
        /// Seconds of each run.
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Loads the national data set (or uses `--url`) and runs minutes of mixed traffic (lists,
    /// cards, aid, reports, the public page, imports), failing on any error or on resident memory
    /// growing more than 10 % from the first minute to the last.
    Soak {
        #[command(flatten)]
        data: DataSet,
        /// Minutes of traffic.
        #[arg(long, default_value_t = 10)]
        minutes: u64,
    },
    /// (Used by `bench reports`.) Makes the republic report and its files in a fresh process
    /// and prints the peak memory.
    #[command(hide = true)]
    ReportMemory {
        /// The database.
        #[arg(long)]
        url: String,
    },
    /// Imports a generated children file and compares with the raw batched insert.
    Import {
        /// Rows in the file.
        #[arg(long, default_value_t = 100_000)]
        rows: usize,
        /// `sqlite` or `postgres` (each run gets a database of its own).
        #[arg(long, default_value = "sqlite")]
        db: String,
        /// PostgreSQL server for `--db postgres`.
        #[arg(long, env = "DOROGA_BENCH_PG_URL", default_value = "postgres://postgres@127.0.0.1:5432")]
        pg_url: String,
    },
}

fn init_tracing(format: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    if format == "json" { builder.json().init() } else { builder.init() }
}

async fn open(cli: &Cli) -> Result<Db> {
    let db = db::connect(&cli.database_url, cli.db_max_connections)
        .await
        .with_context(|| format!("connecting to {}", redact(&cli.database_url)))?;
    db::migrate(&db).await.context("migrating the database")?;
    Ok(db)
}

/// The host's name and the port, when the port is fixed (a port the system picks differs after a
/// restart, so names nothing).
fn default_server_id(bind: SocketAddr) -> Option<String> {
    let host = std::fs::read_to_string("/etc/hostname").ok().map(|h| h.trim().to_owned()).filter(|h| !h.is_empty());
    (bind.port() != 0).then(|| format!("{}:{}", host.unwrap_or_else(|| bind.ip().to_string()), bind.port()))
}

/// Hides a password in a database URL for logs.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            let user = userinfo.split(':').next().unwrap_or_default();
            format!("{}://{user}:***@{}", &url[..scheme], &url[at + 1..])
        }
        _ => url.to_owned(),
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "listening for Ctrl-C");
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => tracing::error!(error = %e, "listening for SIGTERM"),
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { () = ctrl_c => {}, () = terminate => {} }
    tracing::info!("shutting down: finishing requests in flight");
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            cli_error::report(&e);
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<()> {
    let cli = Cli::parse();
    init_tracing(&cli.log_format);
    match &cli.command {
        Command::Bench { what: BenchWhat::Import { rows, db, pg_url } } => {
            return bench::import(*rows, db, pg_url).await;
        }
        Command::Bench { what: BenchWhat::Reports { data: DataSet { db, pg_url, scale, url }, runs } } => {
            return bench_reports::reports(db, pg_url, *scale, *runs, url.as_deref()).await;
        }
        Command::Bench { what: BenchWhat::Http { data: DataSet { db, pg_url, scale, url }, seconds } } => {
            return bench_http::http(db, pg_url, *scale, *seconds, url.as_deref()).await;
        }
        Command::Bench { what: BenchWhat::ReportMemory { url } } => return bench_reports::memory_probe(url).await,
        Command::Bench { what: BenchWhat::Soak { data: DataSet { db, pg_url, scale, url }, minutes } } => {
            return bench_http::soak(db, pg_url, *scale, *minutes, url.as_deref()).await;
        }
        Command::Backup { to, uploads } => return backup::backup(&cli.database_url, to, uploads).await,
        Command::Restore { from, uploads } => return backup::restore(&cli.database_url, from, uploads).await,
        _ => {}
    }
    let db = open(&cli).await?;
    match cli.command {
        Command::Migrate => println!("database is up to date"),
        Command::Bench { .. } | Command::Backup { .. } | Command::Restore { .. } => {}
        Command::Demo { scale } => match scale.as_str() {
            "small" => demo::load(&db).await?,
            other => {
                let fraction = if other == "national" {
                    1.0
                } else {
                    other
                        .parse::<f64>()
                        .ok()
                        .filter(|f| *f > 0.0 && *f <= 1.0)
                        .context("--scale: small, national or a fraction such as 0.1")?
                };
                let s = db::national::load(&db, db::national::Scale::NATIONAL.times(fraction)).await?;
                println!(
                    "loaded {} districts, {} schools, {} children, {} ledger entries, {} items, {} raids, {} children found, {} pupils out, {} steps, {} appeals, {} survey answers in {:.1} s",
                    s.districts,
                    s.schools,
                    s.children,
                    s.entries,
                    s.items,
                    s.raids,
                    s.findings,
                    s.absences,
                    s.steps,
                    s.appeals,
                    s.answers,
                    s.seconds
                );
            }
        },
        Command::User { action } => user::command(&db, action).await?,
        Command::Serve {
            bind,
            demo,
            secure_cookies,
            trusted_origins,
            server_id,
            trusted_proxies,
            public_url,
            request_timeout,
            body_limit_mb,
            upload_dir,
            proof_limit_mb,
            mail,
        } => {
            if demo {
                demo::load(&db).await?;
            }
            let config = web::WebConfig {
                secure_cookies,
                trusted_origins,
                trusted_proxies,
                public_url,
                request_timeout: Duration::from_secs(request_timeout),
                body_limit: body_limit_mb * 1024 * 1024,
                upload_dir,
                proof_limit: proof_limit_mb * 1024 * 1024,
                ..Default::default()
            };
            let bulk = db::connect(&cli.database_url, 2).await.context("connecting the imports' pool")?;
            let mut core = app::Core::new(db.clone()).map_err(|e| anyhow::anyhow!("{e}"))?.with_bulk_pool(bulk);
            if let Some(name) = server_id.or_else(|| default_server_id(bind)) {
                core = core.with_runner(&name);
            }
            // Imports a dead server left "running" are failed, and their uploads removed.
            let recovered =
                app::child_import::recover(&core, &config.upload_dir).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            tracing::info!(jobs = recovered.jobs, files = recovered.files, "imports recovered at start");
            workers::start(core.clone(), db.clone(), &mail)?;
            let state = web::AppState::new(core, config);
            let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| format!("binding {bind}"))?;
            let local = listener.local_addr()?;
            tracing::info!(address = %local, database = %redact(&cli.database_url), "serving");
            println!("Doroga is listening on http://{local}");
            axum::serve(listener, web::app(state).into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(shutdown_signal())
                .await?;
        }
    }
    Ok(())
}
