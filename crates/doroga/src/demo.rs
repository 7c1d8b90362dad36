//! A small realistic demo: districts and schools in three regions (including the Balkhash
//! school of the seed report) and one user of each role, with one-time passwords printed.

use anyhow::{Context, Result};
use db::Db;
use domain::org::OrgUnitFields;
use domain::user::NewUser;
use domain::{CampaignId, HoldId, NeedId, OrgUnitId, Role, SchoolLanguage};

/// The republic's id.
pub async fn republic_id(db: &Db) -> Result<i64> {
    Ok(db::org::republic(db).await?.context("the republic is missing: run `doroga migrate`")?.id)
}

fn district(ru: &str, kk: &str) -> OrgUnitFields {
    OrgUnitFields {
        code: None,
        name_ru: ru.into(),
        name_kk: kk.into(),
        settlement: None,
        is_rural: None,
        language: None,
    }
}

fn school(code: &str, ru: &str, kk: &str, settlement: &str, rural: bool, language: SchoolLanguage) -> OrgUnitFields {
    OrgUnitFields {
        code: Some(code.into()),
        name_ru: ru.into(),
        name_kk: kk.into(),
        settlement: Some(settlement.into()),
        is_rural: Some(rural),
        language: Some(language),
    }
}

async fn child(db: &Db, parent: i64, fields: OrgUnitFields) -> Result<i64> {
    Ok(db::org::ensure_child_system(db, OrgUnitId(parent), &fields).await.map_err(|e| anyhow::anyhow!("{e:?}"))?.id)
}

async fn region(db: &Db, code: &str) -> Result<i64> {
    Ok(db::org::region_by_code(db, code).await?.with_context(|| format!("region {code} missing"))?.id)
}

/// The demo's org units: returns (region, district, school) ids for the demo users.
async fn units(db: &Db) -> Result<(i64, i64, i64)> {
    let karaganda = region(db, "KZ-35").await?;
    let balkhash = child(db, karaganda, district("г. Балхаш", "Балқаш қаласы")).await?;
    let school1 = child(
        db,
        balkhash,
        school(
            "1",
            "КГУ «Общеобразовательная школа № 1»",
            "«№ 1 жалпы білім беретін мектеп» КММ",
            "Балхаш",
            false,
            SchoolLanguage::Mixed,
        ),
    )
    .await?;
    child(
        db,
        balkhash,
        school(
            "2",
            "КГУ «Общеобразовательная школа № 2»",
            "«№ 2 жалпы білім беретін мектеп» КММ",
            "Балхаш",
            false,
            SchoolLanguage::Ru,
        ),
    )
    .await?;
    child(
        db,
        balkhash,
        school("16", "КГУ «Школа-лицей № 16»", "«№ 16 мектеп-лицей» КММ", "Балхаш", false, SchoolLanguage::Kk),
    )
    .await?;
    let karkaraly = child(db, karaganda, district("Каркаралинский район", "Қарқаралы ауданы")).await?;
    child(
        db,
        karkaraly,
        school(
            "3",
            "КГУ «Егиндыбулакская средняя школа»",
            "«Егіндібұлақ орта мектебі» КММ",
            "с. Егиндыбулак",
            true,
            SchoolLanguage::Kk,
        ),
    )
    .await?;
    let astana = region(db, "KZ-71").await?;
    let almaty_district = child(db, astana, district("район Алматы", "Алматы ауданы")).await?;
    child(
        db,
        almaty_district,
        school("45", "ГУ «Школа-гимназия № 45»", "«№ 45 мектеп-гимназия» ММ", "Астана", false, SchoolLanguage::Kk),
    )
    .await?;
    let turkestan = region(db, "KZ-61").await?;
    let sairam = child(db, turkestan, district("Сайрамский район", "Сайрам ауданы")).await?;
    child(
        db,
        sairam,
        school(
            "12",
            "КГУ «Средняя школа № 12 имени Абая»",
            "«Абай атындағы № 12 орта мектеп» КММ",
            "с. Аксукент",
            true,
            SchoolLanguage::Kk,
        ),
    )
    .await?;
    Ok((karaganda, balkhash, school1))
}

/// Loads the demo (safe to run again: units are reused, passwords renewed) and prints logins.
pub async fn load(db: &Db) -> Result<()> {
    let republic = republic_id(db).await?;
    let (region, district, school) = units(db).await?;
    let people: [(&str, &str, Role, i64); 8] = [
        ("republic", "Ахметова Гульнар Сериковна", Role::RepublicCoordinator, republic),
        ("karaganda", "Жумабеков Ерлан Маратович", Role::RegionCoordinator, region),
        ("balkhash", "Сулейменова Айгуль Болатовна", Role::DistrictCoordinator, district),
        ("school1", "Құрманғазы Әсел Нұрланқызы", Role::SchoolCoordinator, school),
        ("raid", "Оспанов Данияр Ерікұлы", Role::RaidMember, district),
        ("auditor", "Ким Виктория Андреевна", Role::Auditor, region),
        ("sponsor", "Корпоративный фонд «Коунрад»", Role::Sponsor, region),
        ("sponsor2", "ТОО «Арман жол»", Role::Sponsor, region),
    ];
    println!("Demo accounts (one-time passwords; each must be changed at first sign-in):");
    println!("{:<12} {:<16} {:<24} name", "login", "password", "role");
    for (login, name, role, unit) in people {
        let password = domain::password::one_time();
        let hash = domain::password::hash(&password)?;
        if db::users::by_login(db, login).await?.is_some() {
            db::users::set_password_system(db, login, &hash, true).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        } else {
            let new = NewUser { login: login.into(), full_name: name.into(), role, unit_id: unit };
            db::users::create_system(db, &new, &hash, true).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        }
        println!("{login:<12} {password:<16} {:<24} {name}", role.as_str());
    }
    children(db, region).await?;
    aid(db, region, school).await?;
    crate::demo_raids::load(db, district, school).await?;
    crate::demo_attendance::load(db, school).await?;
    crate::demo_appeals::load(db, district, school).await
}

/// The demo's sponsors (linked to the sponsor accounts) and the fund of school № 1.
async fn aid(db: &Db, region: i64, school: i64) -> Result<()> {
    let region_actor = db::users::by_login(db, "karaganda").await?.context("demo region user")?.actor();
    for (login, name, bin) in
        [("sponsor", "Корпоративный фонд «Коунрад»", "940140000385"), ("sponsor2", "ТОО «Арман жол»", "990140004654")]
    {
        let sponsor = match db::sponsors::by_bin_iin(db, bin).await.map_err(|e| anyhow::anyhow!("{e:?}"))? {
            Some(s) => s,
            None => {
                let input = domain::aid::SponsorInput {
                    kind: "company".into(),
                    name: name.into(),
                    bin_iin: bin.into(),
                    ..Default::default()
                };
                let fields = input.parse().map_err(|e| anyhow::anyhow!("{e:?}"))?;
                db::sponsors::create(db, &region_actor, OrgUnitId(region), &fields)
                    .await
                    .map_err(|e| anyhow::anyhow!("{e:?}"))?
            }
        };
        let user = db::users::by_login(db, login).await?.context("demo sponsor user")?;
        db::sponsors::link_system(db, user.user.id, sponsor.id).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    let campaign = db::campaigns::current(db).await?.context("demo campaign")?;
    let district = db::users::by_login(db, "balkhash").await?.context("demo district user")?.actor();
    // The fund of the seed report's school: 1 196 448 ₸ + 486 057 ₸.
    let allocation = domain::format::Tenge::from_tenge(1_682_505);
    let unit = db::org::scoped(db, &district, OrgUnitId(school)).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    if db::ledger::fund_of(db, &unit, CampaignId(campaign.id)).await?.is_none() {
        db::ledger::set_allocation(db, &district, OrgUnitId(school), &campaign, allocation)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    println!("Fund of school № 1: {allocation}; sponsors «Коунрад» (login sponsor) and «Арман жол» (login sponsor2).");
    let school_actor = db::users::by_login(db, "school1").await?.context("demo school user")?.actor();
    if db::org::details(db, &school_actor, OrgUnitId(school))
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?
        .address
        .is_none()
    {
        let details = domain::details::DetailsInput {
            address: "г. Балхаш, ул. Ленина, 12".into(),
            coordinator: "Құрманғазы Әсел Нұрланқызы, социальный педагог".into(),
            phone: "8 (71036) 4-12-34".into(),
            director: "Серікова Айгүл Мұратқызы".into(),
            addressee: "Руководителю отдела образования города Балхаш".into(),
        };
        let d = details.parse().map_err(|e| anyhow::anyhow!("{e:?}"))?;
        db::org::save_details(db, &school_actor, OrgUnitId(school), &d).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    }
    // «Коунрад» holds one of the last needs and has brought another, waiting for the school.
    let kounrad = db::users::by_login(db, "sponsor").await?.context("demo sponsor user")?.actor();
    if db::sponsors::mine(db, &kounrad).await.map_err(|e| anyhow::anyhow!("{e:?}"))?.is_empty() {
        let open = db::sponsors::open_needs(db, &kounrad, &campaign, &Default::default(), 500)
            .await
            .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let mut last = open.iter().rev();
        if let (Some(held), Some(brought)) = (last.next(), last.next()) {
            db::sponsors::reserve(db, &kounrad, NeedId(held.need_id)).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let hold = db::sponsors::reserve(db, &kounrad, NeedId(brought.need_id))
                .await
                .map_err(|e| anyhow::anyhow!("{e:?}"))?;
            let today = domain::calendar::today();
            db::sponsors::deliver(db, &kounrad, HoldId(hold.id), today).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
        }
    }
    Ok(())
}

/// A valid IIN for a child born on `date` with registration number `reg`, if the number has a
/// check digit (about one in eleven has none).
fn iin_for(date: chrono::NaiveDate, female: bool, reg: u32) -> Option<String> {
    use chrono::Datelike;
    let century = if date.year() >= 2000 { 5 } else { 3 } + u32::from(female);
    let head = format!("{:02}{:02}{:02}{century}{reg:04}", date.year() % 100, date.month(), date.day());
    let digits: Vec<u32> = head.bytes().map(|b| u32::from(b - b'0')).collect();
    domain::iin::check_digit(&digits).map(|c| format!("{head}{c}"))
}

/// The 2026 campaign and a school list of children in Balkhash school № 1.
async fn children(db: &Db, karaganda: i64) -> Result<()> {
    use domain::child::{CampaignInput, ChildInput, NeedInput};
    let campaign = match db::campaigns::by_year(db, 2026).await? {
        Some(c) => c,
        None => {
            let input = CampaignInput {
                year: "2026".into(),
                starts_on: "01.08.2026".into(),
                ends_on: "30.09.2026".into(),
                motto_ru: "Дорога в школу — добро без границ".into(),
                motto_kk: "Мектепке жол — шекарасыз қайырымдылық".into(),
                default_norm: "46 228".into(),
            };
            let fields = input.parse().map_err(|e| anyhow::anyhow!("{e:?}"))?;
            db::campaigns::create(db, None, &fields).await.map_err(|e| anyhow::anyhow!("{e:?}"))?
        }
    };
    let region_actor = db::users::by_login(db, "karaganda").await?.context("demo region user")?.actor();
    db::campaigns::set_norm(
        db,
        &region_actor,
        CampaignId(campaign.id),
        OrgUnitId(karaganda),
        domain::format::Tenge::from_tenge(47_300),
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let actor = db::users::by_login(db, "school1").await?.context("demo school user")?.actor();
    // (boy, girl) forms of each family name, and first names by sex.
    let surnames = [
        ("Ахметов", "Ахметова"),
        ("Беков", "Бекова"),
        ("Жумабаев", "Жумабаева"),
        ("Ким", "Ким"),
        ("Нұрланов", "Нұрланова"),
        ("Оспанов", "Оспанова"),
        ("Сейткали", "Сейткали"),
        ("Тулегенов", "Тулегенова"),
        ("Иванов", "Иванова"),
        ("Әбдірахман", "Әбдірахман"),
    ];
    let boys = ["Алихан", "Данияр", "Ерасыл", "Артём", "Нұрсұлтан"];
    let girls = ["Айгерим", "Мария", "Аружан", "Томирис", "Іңкәр"];
    let categories = [
        ["asp"].as_slice(),
        &["large_family"],
        &["low_income", "large_family"],
        &["orphan"],
        &["no_parental_care"],
        &["special_needs"],
    ];
    let items = ["backpack", "uniform", "shoes", "sports_suit", "stationery"];
    let mut added = 0;
    for i in 0..24u32 {
        let female = i % 2 == 1;
        let grade = (i % 12) as i32;
        let born = chrono::NaiveDate::from_ymd_opt(2019 - grade, 1 + i % 12, 1 + (i * 7) % 28).context("date")?;
        let Some(iin) = (0..20).find_map(|k| iin_for(born, female, 1000 + i * 20 + k)) else { continue };
        let (boy, girl) = surnames[i as usize % surnames.len()];
        let (surname, names) = if female { (girl, &girls) } else { (boy, &boys) };
        let input = ChildInput {
            iin,
            surname: surname.to_owned(),
            first_name: names[(i as usize / 2) % names.len()].into(),
            grade: grade.to_string(),
            study_language: if i % 3 == 0 { "ru" } else { "kk" }.into(),
            categories: categories[i as usize % categories.len()].iter().map(|c| (*c).to_owned()).collect(),
            guardian_name: format!("{surname} (родитель)"),
            guardian_phone: format!("+7 701 555 {:02} {:02}", i, 10 + i),
            settlement: "Балхаш".into(),
            family_children: (2 + i % 5).to_string(),
            consent_by: "parent".into(),
            consent_method: "written".into(),
            consent_date: "01.08.2026".into(),
            source: if i % 5 == 0 { "raid" } else { "school_list" }.into(),
            needs: vec![
                NeedInput {
                    item: items[i as usize % items.len()].into(),
                    size: "134".into(),
                    cost: "25 000".into(),
                    ..Default::default()
                },
                NeedInput { item: "stationery".into(), cost: "8 500".into(), ..Default::default() },
            ],
            ..Default::default()
        };
        let fields = input.parse(campaign.starts_on).map_err(|e| anyhow::anyhow!("demo child {i}: {e:?}"))?;
        match db::children::create(db, &actor, &campaign, actor.scope.unit(), &fields).await {
            Ok(_) => added += 1,
            Err(db::Error::Registered { .. }) => {}
            Err(e) => return Err(anyhow::anyhow!("demo child {i}: {e:?}")),
        }
    }
    println!("Campaign {}: {added} demo children added to school № 1 of Balkhash.", campaign.year);
    Ok(())
}
