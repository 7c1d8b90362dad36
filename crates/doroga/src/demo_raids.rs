//! The demo's raids: one the district held with its raid member (three children found, one of
//! them on school № 1's list), one school № 1 held without accounts, one planned for next week.

use anyhow::{Context, Result};
use db::Db;
use domain::raid::{FindingInput, ParticipantInput, PlaceInput, RaidInput};
use domain::{OrgUnitId, RaidId, UserId};

fn raid(date: &str, starts: &str, places: &[(&str, &str)], people: &[(&str, &str)], note: &str) -> RaidInput {
    RaidInput {
        date: date.into(),
        starts_at: starts.into(),
        places: places.iter().map(|(k, a)| PlaceInput { kind: (*k).into(), address: (*a).into() }).collect(),
        participants: people.iter().map(|(k, n)| ParticipantInput { kind: (*k).into(), count: (*n).into() }).collect(),
        note: note.into(),
    }
}

/// Loads the raids once (none are added when the campaign has some).
pub async fn load(db: &Db, district: i64, school: i64) -> Result<()> {
    let err = |e: db::error::Error| anyhow::anyhow!("{e:?}");
    let campaign = db::campaigns::by_year(db, 2026).await?.context("the demo campaign")?;
    let balkhash = db::users::by_login(db, "balkhash").await?.context("demo district user")?.actor();
    let member = db::users::by_login(db, "raid").await?.context("demo raid member")?.actor();
    if !db::raids::list(db, &balkhash, &campaign, None).await.map_err(err)?.0.is_empty() {
        return Ok(());
    }
    let held = raid(
        "28.08.2026",
        "19:00",
        &[
            ("computer_club", "ТЦ «Балхаш», компьютерный клуб «Арена»"),
            ("station", "Автовокзал"),
            ("market", "Центральный рынок"),
        ],
        &[("police", "2"), ("teacher", "4"), ("education_staff", "1"), ("ngo", "1"), ("parent", "2")],
        "Совместный рейд с ювенальной полицией и НПО «Бала»",
    );
    let fields = held.parse().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let r = db::raids::create(db, &balkhash, &campaign, OrgUnitId(district), &fields, &[UserId(member.user_id.0)])
        .await
        .map_err(err)?;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let listed = db::entity::child::Entity::find()
        .filter(db::entity::child::Column::SchoolId.eq(school))
        .order_by_asc(db::entity::child::Column::Id)
        .one(db)
        .await?
        .map(|c| c.iin);
    let today = domain::calendar::today();
    let found = [
        (listed.unwrap_or_default(), "", "", "computer_club", "20:40", "Играл в клубе вместо уроков", "taken_home"),
        (String::new(), "male", "13", "station", "21:15", "Без взрослых на автовокзале", "police"),
        (String::new(), "female", "11", "market", "19:30", "Помогала торговать", "kdn"),
    ];
    for (iin, sex, age, place, at, why, action) in found {
        let input = FindingInput {
            client_id: domain::raid::new_client_id(),
            iin,
            sex: sex.into(),
            age: age.into(),
            place: place.into(),
            found_at: at.into(),
            circumstances: why.into(),
            action: action.into(),
            ..Default::default()
        };
        db::raids::send(db, &member, RaidId(r.id), &input, None, today).await.map_err(err)?;
    }
    let school_actor = db::users::by_login(db, "school1").await?.context("demo school user")?.actor();
    let own = raid("02.09.2026", "", &[("home", "Семьи микрорайона № 2")], &[("teacher", "3")], "");
    let fields = own.parse().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    db::raids::create(db, &school_actor, &campaign, OrgUnitId(school), &fields, &[]).await.map_err(err)?;
    let next_week = (today + chrono::Duration::days(7)).format("%d.%m.%Y").to_string();
    let planned = raid(&next_week, "18:00", &[("entertainment", "Парк культуры")], &[("police", "1")], "");
    let fields = planned.parse().map_err(|e| anyhow::anyhow!("{e:?}"))?;
    db::raids::create(db, &balkhash, &campaign, OrgUnitId(district), &fields, &[UserId(member.user_id.0)])
        .await
        .map_err(err)?;
    println!("Raids: two held (one by the district with login raid), one planned for {next_week}.");
    Ok(())
}
