//! The survey «Готов ли Ваш ребёнок к школе?»: a public form, throttled per client, kept once per
//! form; its totals by region and district for any period; the leads (answers asking for help) a
//! school turns into registry records (source «survey», the family's consent recorded) or closes.

use chrono::{NaiveDate, Utc};
use domain::survey::SurveyInput;
use domain::{Actor, ErrorCode, Invalid};

use crate::entity::survey_answer;
use crate::throttle::Limit;
use crate::{Core, Error};

pub use db::survey::PAGE;

/// Answers accepted from one client address in an hour (a family answers once; a school's
/// computer class may answer for several).
pub const ANSWERS: Limit = Limit { name: "survey", max: 20, window: 3600 };

/// A visitor's answer (`client_key`: the form's UUID; the same form sent again is one answer).
/// Mistakes do not count against the client's limit.
pub async fn answer(
    core: &Core,
    input: &SurveyInput,
    client_key: &str,
    client_addr: &str,
    locale: &str,
) -> Result<survey_answer::Model, Error> {
    let key = client_key.trim().to_lowercase();
    if !domain::raid::is_client_id(&key) {
        return Err(Invalid::one("client_key", ErrorCode::ClientIdFormat).into());
    }
    let fields = input.parse()?;
    // The same form sent again meets its key's unique index, is not counted, and gets the
    // answer it made first.
    let (a, _) = db::survey::submit(&core.db, &fields, &key, client_addr, locale, Some(&ANSWERS), Utc::now()).await?;
    Ok(a)
}

/// A page of the open leads of the actor's scope and the next page's cursor.
pub async fn leads(
    core: &Core,
    actor: &Actor,
    after: Option<i64>,
) -> Result<(Vec<survey_answer::Model>, Option<i64>), Error> {
    let mut rows = db::survey::leads(&core.db, actor, after).await?;
    let next = if rows.len() as u64 > PAGE {
        rows.truncate(PAGE as usize);
        rows.last().map(|a| a.id)
    } else {
        None
    };
    Ok((rows, next))
}

/// One lead with its contact (the opening is logged).
pub async fn lead(core: &Core, actor: &Actor, id: i64) -> Result<survey_answer::Model, Error> {
    Ok(db::survey::lead(&core.db, actor, id).await?)
}

/// Closes a lead with a reason.
pub async fn close(core: &Core, actor: &Actor, id: i64, reason: &str) -> Result<survey_answer::Model, Error> {
    let reason = domain::survey::parse_reason(reason)?;
    Ok(db::survey::end_lead(&core.db, actor, id, None, Some(reason)).await?)
}

/// Marks a lead turned into the registry record `child` (in the actor's scope).
pub async fn registered(core: &Core, actor: &Actor, id: i64, child: i64) -> Result<survey_answer::Model, Error> {
    Ok(db::survey::end_lead(&core.db, actor, id, Some(child), None).await?)
}

/// What the registry form starts with for a lead: its school (if it named one), the first grade, the family's
/// situation, the contact as the guardian, the source «survey» and the consent given in it.
pub async fn prefill(core: &Core, actor: &Actor, id: i64) -> Result<(Option<i64>, domain::child::ChildInput), Error> {
    let a = lead(core, actor, id).await?;
    let input = domain::child::ChildInput {
        grade: a.grades.split(',').next().unwrap_or_default().to_owned(),
        categories: a.situation.split(',').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
        guardian_name: a.contact_name.unwrap_or_default(),
        guardian_phone: a.phone.unwrap_or_default(),
        source: "survey".into(),
        consent_by: "parent".into(),
        consent_method: "electronic".into(),
        consent_date: domain::format::date(a.created_on),
        ..Default::default()
    };
    Ok((a.school_id, input))
}

pub use db::totals::survey::Figures;

/// The survey's totals for a period, by district of `region` (or by region of the country).
pub async fn totals(core: &Core, region: Option<i64>, from: NaiveDate, to: NaiveDate) -> Result<Vec<Figures>, Error> {
    if from > to {
        return Err(Invalid::one("to", ErrorCode::PeriodReversed).into());
    }
    Ok(db::totals::survey::read(&core.db, region, from, to).await?)
}
