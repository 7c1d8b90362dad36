//! A small realistic demo: districts and schools in three regions (including the Balkhash
//! school of the seed report) and one user of each role, with one-time passwords printed.

use anyhow::{Context, Result};
use db::Db;
use domain::org::OrgUnitFields;
use domain::user::NewUser;
use domain::{OrgUnitId, Role, SchoolLanguage};

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
    let people: [(&str, &str, Role, i64); 7] = [
        ("republic", "Ахметова Гульнар Сериковна", Role::RepublicCoordinator, republic),
        ("karaganda", "Жумабеков Ерлан Маратович", Role::RegionCoordinator, region),
        ("balkhash", "Сулейменова Айгуль Болатовна", Role::DistrictCoordinator, district),
        ("school1", "Құрманғазы Әсел Нұрланқызы", Role::SchoolCoordinator, school),
        ("raid", "Оспанов Данияр Ерікұлы", Role::RaidMember, district),
        ("auditor", "Ким Виктория Андреевна", Role::Auditor, region),
        ("sponsor", "Корпоративный фонд «Коунрад»", Role::Sponsor, region),
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
    Ok(())
}
