//! What every server does beside answering requests: fails the imports of a server that died,
//! forgets expired sessions and old throttle counts, escalates appeals whose day has come, tells
//! sponsors of holds about to expire, and sends the notifications' outbox (when a mail server is configured). Each is safe to run on
//! every server at once: the database decides who does what.

use std::time::Duration;

/// Where notifications go (none configured: they wait in the outbox, listed for coordinators).
#[derive(Debug, Clone, clap::Args)]
pub struct Mail {
    /// The SMTP server: `smtps://user:pass@host:465`, `smtp://host:587?tls=required`, or
    /// `smtp://127.0.0.1:2525` (plain, on this machine only).
    #[arg(long, env = "DOROGA_SMTP_URL")]
    pub smtp_url: Option<String>,
    /// The sender of the e-mails.
    #[arg(long, env = "DOROGA_MAIL_FROM", default_value = "Doroga <noreply@doroga.localhost>")]
    pub mail_from: String,
    /// An SMS provider's gateway (a POST of `{"to", "text"}` as JSON; README).
    #[arg(long, env = "DOROGA_SMS_URL")]
    pub sms_url: Option<String>,
    /// The gateway's bearer token.
    #[arg(long, env = "DOROGA_SMS_TOKEN", default_value = "")]
    pub sms_token: String,
    /// Seconds between the outbox worker's rounds.
    #[arg(long, env = "DOROGA_MAIL_EVERY", default_value_t = 15)]
    pub mail_every: u64,
}

/// Starts every background loop of a server.
pub fn start(core: app::Core, db: db::Db, mail: &Mail) -> anyhow::Result<()> {
    let jobs = core.clone();
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(app::child_import::HEARTBEAT * 3).await;
            match app::child_import::fail_stale(&jobs).await {
                Ok(0) => {}
                Ok(n) => tracing::warn!(jobs = n, "imports of a server that died marked failed"),
                Err(e) => tracing::warn!(error = %e, "looking for imports of a dead server"),
            }
        }
    });
    tokio::spawn(async move {
        loop {
            let now = chrono::Utc::now().timestamp();
            if let Err(e) = db::sessions::delete_expired(&db, now).await {
                tracing::warn!(error = %e, "removing expired sessions");
            }
            if let Err(e) = db::throttle::sweep(&db, now).await {
                tracing::warn!(error = %e, "forgetting old throttle counts");
            }
            tokio::time::sleep(Duration::from_secs(600)).await;
        }
    });
    let sweeper = core.clone();
    tokio::spawn(async move {
        loop {
            match app::appeals::escalate(&sweeper, app::appeals::today()).await {
                Ok(done) if !done.is_empty() => tracing::info!(appeals = done.len(), "appeals escalated"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "escalating appeals"),
            }
            if let Err(e) = app::sponsors::warn_expiring(&sweeper).await {
                tracing::warn!(error = %e, "telling sponsors of holds about to expire");
            }
            tokio::time::sleep(Duration::from_secs(300)).await;
        }
    });
    let Some(url) = &mail.smtp_url else {
        tracing::info!("no SMTP server configured: notifications wait in the outbox");
        return Ok(());
    };
    let mut mailer = app::notify::Mailer::smtp(url, &mail.mail_from).map_err(|e| anyhow::anyhow!("{e}"))?;
    if let Some(sms) = &mail.sms_url {
        mailer = mailer.with_sms(app::sms::Gateway::new(sms, &mail.sms_token));
    }
    let every = Duration::from_secs(mail.mail_every.max(1));
    tokio::spawn(async move {
        loop {
            match app::notify::deliver(&core, &mailer, chrono::Utc::now().timestamp()).await {
                Ok(r) if r.sent + r.retried + r.given_up > 0 => {
                    tracing::info!(sent = r.sent, retried = r.retried, given_up = r.given_up, "notifications")
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "sending notifications"),
            }
            tokio::time::sleep(every).await;
        }
    });
    Ok(())
}
