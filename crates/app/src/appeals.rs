//! Citizens' appeals (обращения): registered by staff from what reached them (a phone line, a
//! reception, 111, a messenger, a letter), filed by the public through the web form or a
//! school's QR code, routed to the unit in charge with a term of working days, worked there,
//! forwarded, extended, answered, and followed by the public by a random code. The public form
//! and the look-ups by code are throttled per client address (counted in the database, so the
//! limits hold across servers).

use chrono::{DateTime, NaiveDate, Utc};
use domain::appeal::{AppealInput, Channel, ExtensionInput, NOTICE_DAYS, Topic, normalize_code};
use domain::{Actor, ErrorCode, Invalid, OrgUnitId, UserId};

use crate::entity::{appeal, work_day};
use crate::throttle::{PUBLIC_APPEALS, TRACK_LOOKUPS, count};
use crate::{Core, Error};

pub use db::appeals::{AppealView, Cursor, Escalated, PAGE, PublicView, View};

/// Today in Kazakhstan, the day appeals' terms count from.
pub fn today() -> NaiveDate {
    domain::calendar::today()
}

/// A staff member registers an appeal it received; the child, if an IIN is given, must be in
/// its scope.
pub async fn register(core: &Core, actor: &Actor, input: &AppealInput) -> Result<appeal::Model, Error> {
    let fields = input.parse(None)?;
    let c = crate::campaigns::current(core).await?;
    let (a, _) =
        db::appeals::register(&core.db, db::appeals::By::Staff(actor), &fields, c.as_ref(), Utc::now()).await?;
    Ok(a)
}

/// A visitor files an appeal through the public form (`channel` web, or QR when opened from a
/// school's poster). `client_key` is the form's own key: the same form sent again is the appeal
/// it made first (and counts once). At most [`PUBLIC_APPEALS`] are accepted from a client
/// address in an hour; mistakes (a field, a school that does not exist) do not count.
pub async fn file(
    core: &Core,
    input: &AppealInput,
    channel: Channel,
    client_key: &str,
    client_addr: &str,
    locale: &str,
) -> Result<appeal::Model, Error> {
    let key = client_key.trim().to_lowercase();
    if !domain::raid::is_client_id(&key) {
        return Err(Invalid::one("client_key", ErrorCode::ClientIdFormat).into());
    }
    let fields = input.parse(Some(channel))?;
    // Counted in the appeal's own transaction, once its place is found; the same form sent again
    // meets its key's unique index there, is not counted, and gets the appeal it made first.
    let by = db::appeals::By::Public { client_key: &key, client_addr, locale, limit: Some(&PUBLIC_APPEALS) };
    let (a, _) = db::appeals::register(&core.db, by, &fields, None, Utc::now()).await?;
    Ok(a)
}

/// The code as typed, checked, and the look-up counted against the client's limit.
async fn code_of(core: &Core, typed: &str, client_addr: &str) -> Result<String, Error> {
    count(core, &TRACK_LOOKUPS, client_addr).await?;
    normalize_code(typed).ok_or_else(|| Invalid::one("tracking_code", ErrorCode::CodeFormat).into())
}

/// What the public sees of an appeal by its code.
pub async fn track(core: &Core, typed: &str, client_addr: &str) -> Result<PublicView, Error> {
    let code = code_of(core, typed, client_addr).await?;
    Ok(db::appeals::track(&core.db, &code).await?)
}

/// The receipt of an appeal as PDF, by its code (counted against the client's look-ups): the
/// code, when it was received and by whom, how, the unit in charge and the last day.
pub async fn receipt_pdf(core: &Core, t: &i18n::I18n, typed: &str, client_addr: &str) -> Result<Vec<u8>, Error> {
    let code = code_of(core, typed, client_addr).await?;
    let (a, unit, by) = db::appeals::receipt(&core.db, &code).await?;
    let shown = domain::appeal::show_code(&a.code);
    let row = |k: &str, v: String| vec![t.t(k), v];
    let rows = vec![
        row("appeal-receipt-number", shown.clone()),
        row("appeal-received", t.date_time(&a.received_at)),
        row("appeal-channel-label", t.label("appeal-channel", &a.channel)),
        row("appeal-received-by", by.unwrap_or_else(|| t.label("appeal-channel", "web"))),
        row("appeal-unit", t.name(&unit.name_ru, &unit.name_kk).to_owned()),
        row("appeal-due", t.date(&a.due_on)),
    ];
    let doc = pdf::Doc {
        lang: t.locale.code().to_owned(),
        title: t.args("appeal-receipt-pdf-title", &[("code", shown)]),
        subtitle: t.t("app-name"),
        blocks: vec![
            pdf::Block::Table {
                columns: vec![String::new(), String::new()],
                rows,
                total: None,
                numeric: vec![false, false],
            },
            pdf::Block::Para { text: t.t("appeal-receipt-pdf-note") },
        ],
        footer: String::new(),
        landscape: false,
        compact: false,
    };
    crate::export::render_pdf(doc).await
}

/// The applicant's "was the problem solved?", by the code, once the appeal is answered.
pub async fn feedback(core: &Core, typed: &str, solved: bool, client_addr: &str) -> Result<PublicView, Error> {
    let code = code_of(core, typed, client_addr).await?;
    db::appeals::feedback(&core.db, &code, solved).await?;
    Ok(db::appeals::track(&core.db, &code).await?)
}

/// A list view by its code (`open`, `due`, `overdue`, `mine`, `all`); `due` reaches as many
/// working days ahead as an applicant is given notice in.
pub async fn view(core: &Core, code: &str, today: NaiveDate) -> Result<View, Error> {
    Ok(match code {
        "" | "open" => View::Open,
        "overdue" => View::Overdue,
        "mine" => View::Mine,
        "all" => View::All,
        "due" => {
            let cal = db::appeals::work_calendar(&core.db, today, today + chrono::Days::new(30)).await?;
            View::Due { until: cal.add_working_days(today, NOTICE_DAYS) }
        }
        _ => return Err(Invalid::one("view", ErrorCode::InvalidChoice).into()),
    })
}

/// A page of a list, as the queue shows it.
#[derive(Debug, Clone)]
pub struct Listed {
    /// The appeals of the page.
    pub rows: Vec<appeal::Model>,
    /// The next page's cursor, if there is one.
    pub next: Option<Cursor>,
    /// The ids of those that look like a second filing of another appeal (the same topic within
    /// a month from the same phone or e-mail, or the same address about the same school).
    pub likely_duplicates: std::collections::BTreeSet<i64>,
}

/// A page of the actor's list, the next page's cursor and the page's likely duplicates.
pub async fn list(
    core: &Core,
    actor: &Actor,
    view: View,
    after: Option<Cursor>,
    today: NaiveDate,
) -> Result<Listed, Error> {
    let (rows, next) = db::appeals::list(&core.db, actor, view, after, today).await?;
    let likely_duplicates = db::appeals::flags::duplicates(&core.db, &rows).await?.into_keys().collect();
    Ok(Listed { rows, next, likely_duplicates })
}

/// One appeal with its history (the opening is logged).
pub async fn get(core: &Core, actor: &Actor, id: i64) -> Result<AppealView, Error> {
    Ok(db::appeals::get(&core.db, actor, id).await?)
}

/// Takes the appeal into work.
pub async fn take(core: &Core, actor: &Actor, id: i64) -> Result<appeal::Model, Error> {
    Ok(db::appeals::take(&core.db, actor, id).await?)
}

/// Assigns the appeal to a coordinator of the unit in charge.
pub async fn assign(core: &Core, actor: &Actor, id: i64, to: UserId) -> Result<appeal::Model, Error> {
    Ok(db::appeals::assign(&core.db, actor, id, to).await?)
}

/// Forwards the appeal to the unit whose competence it is, with a note.
pub async fn forward(
    core: &Core,
    actor: &Actor,
    id: i64,
    to: OrgUnitId,
    note: &str,
    now: DateTime<Utc>,
) -> Result<appeal::Model, Error> {
    let mut c = domain::error::Checker::default();
    let note = (!note.trim().is_empty()).then(|| c.lines("note", note, domain::appeal::REASON_MAX));
    c.finish(())?;
    Ok(db::appeals::forward(&core.db, actor, id, to, note, now).await?)
}

/// Extends the appeal's term once, with a reason.
pub async fn extend(
    core: &Core,
    actor: &Actor,
    id: i64,
    input: &ExtensionInput,
    now: DateTime<Utc>,
) -> Result<appeal::Model, Error> {
    Ok(db::appeals::extend(&core.db, actor, id, input, now).await?)
}

/// Answers the appeal.
pub async fn answer(
    core: &Core,
    actor: &Actor,
    id: i64,
    text: &str,
    now: DateTime<Utc>,
) -> Result<appeal::Model, Error> {
    Ok(db::appeals::answer(&core.db, actor, id, text, now).await?)
}

/// Closes an answered appeal.
pub async fn close(core: &Core, actor: &Actor, id: i64, now: DateTime<Utc>) -> Result<appeal::Model, Error> {
    Ok(db::appeals::close(&core.db, actor, id, now).await?)
}

/// The day's escalations (run by every server's sweep; each appeal escalates once per level).
pub async fn escalate(core: &Core, today: NaiveDate) -> Result<Vec<Escalated>, Error> {
    Ok(db::appeals::escalate(&core.db, today).await?)
}

/// The working-day calendar's exceptions of `year`.
pub async fn work_days(core: &Core, year: i32) -> Result<Vec<work_day::Model>, Error> {
    Ok(db::appeals::work_days(&core.db, year).await?)
}

/// The republic marks a day worked, off, or as the week has it (`None`).
pub async fn set_work_day(
    core: &Core,
    actor: &Actor,
    day: NaiveDate,
    working: Option<bool>,
    note: &str,
) -> Result<(), Error> {
    let mut c = domain::error::Checker::default();
    let note = c.optional_text("note", note, 200);
    c.finish(())?;
    Ok(db::appeals::set_work_day(&core.db, actor, day, working, note, today()).await?)
}

/// Each topic's term in working days.
pub async fn terms(core: &Core) -> Result<Vec<(Topic, u32)>, Error> {
    Ok(db::appeals::terms(&core.db).await?)
}

/// The republic sets a topic's term, as typed.
pub async fn set_term(core: &Core, actor: &Actor, topic: Topic, days: &str) -> Result<(), Error> {
    let days = domain::appeal::parse_term_days(days)?;
    Ok(db::appeals::set_term(&core.db, actor, topic, days).await?)
}
