//! The survey «Готов ли Ваш ребёнок к школе?»: public answers, kept once per form, counted into
//! running totals by day and district in the same transaction; the answers that ask for help are
//! leads at their school (or district) that its coordinators see with the contact (each opening
//! logged), and turn into a registry record or close with a reason.

use chrono::{DateTime, NaiveDate, Utc};
use domain::survey::{LeadStatus, SurveyFields};
use domain::{Actor, ErrorCode, Invalid, OrgKind};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::json;

use crate::Db;
use crate::audit::{self, Entry, Who};
use crate::entity::{org_unit, survey_answer, survey_day};
use crate::error::{Error, is_unique_violation};

/// Leads on one page.
pub const PAGE: u64 = 20;

/// Where an answer belongs: the school named, or the district.
async fn place(db: &impl ConnectionTrait, f: &SurveyFields) -> Result<org_unit::Model, Error> {
    let (id, want, field) = match (f.school, f.district) {
        (Some(s), _) => (s, OrgKind::School, "school"),
        (None, Some(d)) => (d, OrgKind::District, "district"),
        (None, None) => return Err(Invalid::one("school", ErrorCode::Required).into()),
    };
    match org_unit::Entity::find_by_id(id).one(db).await? {
        Some(u) if u.active && crate::org::kind_of(&u) == want => Ok(u),
        _ => Err(Invalid::one(field, ErrorCode::InvalidChoice).into()),
    }
}

/// The answer a form's key made, if it made one.
pub async fn by_key(db: &Db, key: &str) -> Result<Option<survey_answer::Model>, Error> {
    Ok(survey_answer::Entity::find().filter(survey_answer::Column::ClientKey.eq(key)).one(db).await?)
}

fn joined<T>(items: &[T], code: impl Fn(&T) -> String) -> String {
    items.iter().map(code).collect::<Vec<_>>().join(",")
}

/// Adds `n` to the day's totals of a district.
async fn count(
    txn: &impl ConnectionTrait,
    day: NaiveDate,
    (region, district): (i64, i64),
    metrics: &[String],
) -> Result<(), sea_orm::DbErr> {
    let rows = metrics.iter().map(|m| survey_day::ActiveModel {
        day: Set(day),
        district_id: Set(district),
        region_id: Set(region),
        metric: Set(m.clone()),
        count: Set(1),
    });
    let on = crate::totals::survey::adding();
    survey_day::Entity::insert_many(rows).on_conflict(on).exec_without_returning(txn).await?;
    Ok(())
}

/// Keeps an answer from the public form (the same key twice is the first answer; the second value
/// says whether it is new), counts it, and tells the school of a lead.
pub async fn submit(
    db: &Db,
    f: &SurveyFields,
    client_key: &str,
    client_addr: &str,
    locale: &str,
    limit: Option<&crate::throttle::Limit>,
    now: DateTime<Utc>,
) -> Result<(survey_answer::Model, bool), Error> {
    // A key already used is found by its unique index when the answer is written (the count of
    // the client's limit goes back with the rest).
    let txn = crate::write_txn(db).await?;
    let unit = place(&txn, f).await?;
    // The client's address is counted here, once the place is found (a mistake does not count;
    // over the limit nothing is kept).
    if let Some(limit) = limit {
        crate::throttle::charge(&txn, limit, client_addr, now.timestamp()).await?;
    }
    let (region_id, district_id, school_id) = crate::scope::levels(&unit.path);
    let day = domain::appeal::local_day(now);
    let row = survey_answer::ActiveModel {
        client_key: Set(client_key.to_owned()),
        unit_id: Set(unit.id),
        unit_path: Set(unit.path.clone()),
        region_id: Set(region_id),
        district_id: Set(district_id),
        school_id: Set(school_id),
        settlement: Set(f.settlement.clone()),
        ready: Set(i16::from(f.ready)),
        grades: Set(joined(&f.grades, ToString::to_string)),
        missing: Set(joined(&f.missing, |m| m.as_str().to_owned())),
        situation: Set(joined(&f.situation, |c| c.as_str().to_owned())),
        contact_name: Set(f.help.as_ref().map(|(n, _)| n.clone())),
        phone: Set(f.help.as_ref().map(|(_, p)| p.clone())),
        consent: Set(i16::from(f.help.is_some())),
        locale: Set(if locale == "kk" { "kk" } else { "ru" }.to_owned()),
        client_addr: Set(Some(client_addr.to_owned())),
        created_at: Set(now),
        created_on: Set(day),
        lead_status: Set(f.help.as_ref().map(|_| LeadStatus::Open.as_str().to_owned())),
        ..Default::default()
    };
    let row = match row.insert(&txn).await {
        Ok(row) => row,
        Err(e) if is_unique_violation(&e) => {
            drop(txn);
            return by_key(db, client_key).await?.map(|d| (d, false)).ok_or(Error::NotFound);
        }
        Err(e) => return Err(e.into()),
    };
    let mut metrics = vec!["answers".to_owned()];
    if !f.ready {
        metrics.push("not_ready".into());
    }
    if f.help.is_some() {
        metrics.push("help".into());
    }
    metrics.extend(f.missing.iter().map(|m| format!("missing_{}", m.as_str())));
    if let (Some(r), Some(d)) = (region_id, district_id) {
        count(&txn, day, (r, d), &metrics).await?;
    }
    if f.help.is_some() {
        let to = crate::outbox::unit_addresses(&txn, unit.id).await?;
        let params = json!({ "id": row.id, "grades": row.grades, "unit_ru": unit.name_ru, "unit_kk": unit.name_kk });
        let messages = to
            .into_iter()
            .map(|(recipient, locale)| crate::outbox::Message {
                channel: "email",
                recipient,
                locale,
                kind: "lead_new",
                params: params.clone(),
                entity: Some(("survey_answer", row.id)),
                unit_path: Some(row.unit_path.clone()),
            })
            .collect();
        crate::outbox::enqueue(&txn, messages).await?;
    }
    let entry = Entry {
        action: "create",
        entity: "survey_answer",
        entity_id: Some(row.id),
        unit_path: Some(&row.unit_path),
        before: None,
        after: Some(json!({ "ready": f.ready, "lead": f.help.is_some() })),
    };
    audit::record(&txn, Who::Login(None, "public"), entry).await?;
    txn.commit().await?;
    Ok((row, true))
}

/// The open leads of the actor's scope, oldest first, after the id of the page before.
pub async fn leads(db: &Db, actor: &Actor, after: Option<i64>) -> Result<Vec<survey_answer::Model>, Error> {
    if !actor.role.can_read_personal_data() {
        return Err(Error::Forbidden);
    }
    let levels = [survey_answer::Column::RegionId, survey_answer::Column::DistrictId, survey_answer::Column::SchoolId];
    let mut q = survey_answer::Entity::find()
        .filter(survey_answer::Column::LeadStatus.eq(LeadStatus::Open.as_str()))
        .filter(crate::scope::at_level(actor.scope.path(), levels));
    if let Some(id) = after {
        q = q.filter(survey_answer::Column::Id.gt(id));
    }
    Ok(q.order_by_asc(survey_answer::Column::Id).limit(PAGE + 1).all(db).await?)
}

/// One lead (an answer that asked for help) in the actor's scope; the opening is logged.
pub async fn lead(db: &impl ConnectionTrait, actor: &Actor, id: i64) -> Result<survey_answer::Model, Error> {
    if !actor.role.can_read_personal_data() {
        return Err(Error::Forbidden);
    }
    let a = survey_answer::Entity::find_by_id(id).one(db).await?.filter(|a| a.lead_status.is_some());
    let a = a.ok_or(Error::NotFound)?;
    if !actor.scope.covers(&a.unit_path) {
        let d = crate::error::Denial { actor: actor.clone(), entity: "survey_lead", id, target_path: a.unit_path };
        return Err(Error::NotInScope(Box::new(d)));
    }
    let entry = Entry {
        action: "read_personal",
        entity: "survey_lead",
        entity_id: Some(id),
        unit_path: Some(&a.unit_path),
        before: None,
        after: None,
    };
    audit::record(db, Who::User(actor), entry).await?;
    Ok(a)
}

/// Ends an open lead: turned into the registry record `child` (in the actor's scope), or closed
/// with a reason.
pub async fn end_lead(
    db: &Db,
    actor: &Actor,
    id: i64,
    child: Option<i64>,
    reason: Option<String>,
) -> Result<survey_answer::Model, Error> {
    if !actor.role.can_edit_children() {
        return Err(Error::Forbidden);
    }
    let txn = crate::write_txn(db).await?;
    let a = lead(&txn, actor, id).await?;
    if let Some(c) = child {
        crate::children::find_scoped(&txn, actor, c).await?;
    }
    let status = if child.is_some() { LeadStatus::Registered } else { LeadStatus::Closed };
    let done = survey_answer::Entity::update_many()
        .col_expr(survey_answer::Column::LeadStatus, Expr::value(status.as_str()))
        .col_expr(survey_answer::Column::LeadChildId, Expr::value(child))
        .col_expr(survey_answer::Column::LeadReason, Expr::value(reason.clone()))
        .col_expr(survey_answer::Column::LeadBy, Expr::value(actor.user_id.0))
        .col_expr(survey_answer::Column::LeadAt, Expr::value(Utc::now()))
        .filter(survey_answer::Column::Id.eq(id))
        .filter(survey_answer::Column::LeadStatus.eq(LeadStatus::Open.as_str()))
        .exec(&txn)
        .await?;
    if done.rows_affected != 1 {
        return Err(Invalid::one("lead", ErrorCode::LeadNotOpen).into());
    }
    let entry = Entry {
        action: "update",
        entity: "survey_lead",
        entity_id: Some(id),
        unit_path: Some(&a.unit_path),
        before: Some(json!({ "lead_status": a.lead_status })),
        after: Some(json!({ "lead_status": status.as_str(), "child_id": child, "reason": reason })),
    };
    audit::record(&txn, Who::User(actor), entry).await?;
    let after = survey_answer::Entity::find_by_id(id).one(&txn).await?.ok_or(Error::NotFound)?;
    txn.commit().await?;
    Ok(after)
}
