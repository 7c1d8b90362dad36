//! Sending what the outbox holds: a worker on every server claims the messages that are due,
//! makes each one's text in its recipient's language from the catalogues (`mail-{kind}-subject`,
//! `mail-{kind}-body`), sends it by e-mail over SMTP (lettre) or by SMS through a provider's HTTP
//! gateway, and marks it sent, or tries again later (1 minute, 5, 30, 2 hours, 12 hours) and gives
//! up after the last; what waits or failed is listed for the coordinators over its unit.

use std::time::Duration;

use domain::{Actor, Locale};
use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Tokio1Executor};

use crate::entity::outbox;
use crate::{Core, Error};

/// The waits before the second, third … attempt, in seconds; after the last, the message is given up.
pub const BACKOFF: [i64; 5] = [60, 300, 1800, 7200, 43_200];

/// Messages one round of the worker sends at most.
pub const BATCH: u64 = 50;

/// How long a claimed message is the claiming server's.
pub const LEASE: i64 = 120;

/// A message ready to go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outgoing {
    /// `email` or `sms`.
    pub channel: String,
    /// The address or phone.
    pub to: String,
    /// The subject (e-mail only).
    pub subject: String,
    /// The text.
    pub body: String,
}

/// The message's text, in its recipient's language.
pub fn render(core: &Core, m: &outbox::Model) -> Outgoing {
    let locale = Locale::parse(&m.locale).unwrap_or(Locale::Ru);
    let t = i18n::I18n::new(core.catalog().clone(), locale);
    let params: serde_json::Value = serde_json::from_str(&m.params).unwrap_or_default();
    let mut args: Vec<(String, String)> = Vec::new();
    let own = format!("_{}", locale.code());
    for (k, v) in params.as_object().into_iter().flatten() {
        let text = match v {
            serde_json::Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        if let Some(base) = k.strip_suffix(&own) {
            args.push((base.to_owned(), text));
        } else if k.ends_with("_ru") || k.ends_with("_kk") {
            continue;
        } else if k == "topic" {
            args.push((k.clone(), t.label("appeal-topic", &text)));
        } else {
            args.push((k.clone(), text));
        }
    }
    let named: Vec<(&str, String)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    let key = m.kind.replace('_', "-");
    Outgoing {
        channel: m.channel.clone(),
        to: m.recipient.clone(),
        subject: t.args(&format!("mail-{key}-subject"), &named),
        body: t.args(&format!("mail-{key}-body"), &named),
    }
}

/// Where messages go: an SMTP server, and an SMS gateway if one is configured.
#[derive(Clone)]
pub struct Mailer {
    smtp: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    sms: Option<crate::sms::Gateway>,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from.to_string()).finish_non_exhaustive()
    }
}

impl Mailer {
    /// An SMTP server by URL (`smtps://user:pass@host:465`, `smtp://host:587?tls=required`;
    /// `smtp://127.0.0.1:2525` is plain, for a server on this machine) and the sender's address.
    pub fn smtp(url: &str, from: &str) -> Result<Self, Error> {
        let smtp = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| Error::internal(format!("the SMTP address: {e}")))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from.parse().map_err(|e| Error::internal(format!("the sender's address: {e}")))?;
        Ok(Mailer { smtp, from, sms: None })
    }

    /// The same, with SMS sent through `gateway`.
    pub fn with_sms(mut self, gateway: crate::sms::Gateway) -> Self {
        self.sms = Some(gateway);
        self
    }

    async fn send(&self, o: &Outgoing) -> Result<(), String> {
        match o.channel.as_str() {
            "sms" => match &self.sms {
                Some(g) => g.send(&o.to, &o.body).await,
                None => Err("no SMS gateway is configured".into()),
            },
            _ => {
                let to: Mailbox = o.to.parse().map_err(|e| format!("the address {}: {e}", o.to))?;
                let message = lettre::Message::builder()
                    .from(self.from.clone())
                    .to(to)
                    .subject(o.subject.clone())
                    .header(ContentType::TEXT_PLAIN)
                    .body(o.body.clone())
                    .map_err(|e| e.to_string())?;
                self.smtp.send(message).await.map(|_| ()).map_err(|e| e.to_string())
            }
        }
    }
}

/// What one round did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Round {
    /// Sent.
    pub sent: usize,
    /// Failed, to be tried again.
    pub retried: usize,
    /// Failed for the last time.
    pub given_up: usize,
}

/// One round: the messages due at `now` (epoch seconds), each claimed, sent and marked.
pub async fn deliver(core: &Core, mailer: &Mailer, now: i64) -> Result<Round, Error> {
    let mut round = Round::default();
    for m in db::outbox::due(&core.db, now, BATCH).await? {
        if !db::outbox::claim(&core.db, &m, core.runner(), now, now + LEASE).await? {
            continue;
        }
        let o = render(core, &m);
        match mailer.send(&o).await {
            Ok(()) => {
                db::outbox::sent(&core.db, m.id).await?;
                round.sent += 1;
            }
            Err(e) => {
                let wait = BACKOFF.get(usize::try_from(m.attempts).unwrap_or(usize::MAX)).copied();
                tracing::warn!(id = m.id, kind = %m.kind, attempt = m.attempts + 1, error = %e, "a notification failed");
                db::outbox::failed(&core.db, m.id, &e, wait.map(|w| now + w)).await?;
                if wait.is_some() { round.retried += 1 } else { round.given_up += 1 }
            }
        }
    }
    Ok(round)
}

/// Messages not sent (waiting or given up) about units in the coordinator's scope.
pub async fn unsent(core: &Core, actor: &Actor, before: Option<i64>) -> Result<Vec<outbox::Model>, Error> {
    Ok(db::outbox::unsent(&core.db, actor, before, 50).await?)
}
