//! Before the children: the campaign, the loader's account, the districts and schools.

use chrono::Utc;
use rand::Rng;
use rand::rngs::StdRng;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use super::data::WEIGHTS;
use super::{Result, Scale, Summary, chunk, custom, next_id};
use crate::Db;
use crate::entity::campaign;
use crate::entity::{child, org_unit};

/// The current campaign (made if missing, refused if it has children already) and the account
/// the load is recorded under.
pub(super) async fn campaign_and_loader(db: &Db) -> Result<(campaign::Model, i64)> {
    let campaign = match crate::campaigns::current(db).await? {
        Some(c) => c,
        None => {
            let year = 2026;
            let input = domain::child::CampaignInput {
                year: year.to_string(),
                starts_on: format!("01.08.{year}"),
                ends_on: format!("30.09.{year}"),
                motto_ru: "Дорога в школу — добро без границ".into(),
                motto_kk: "Мектепке жол — шекарасыз игілік".into(),
                default_norm: "46 228".into(),
            };
            let fields = input.parse().map_err(|e| custom(format!("{e:?}")))?;
            crate::campaigns::create(db, None, &fields).await.map_err(|e| custom(format!("{e:?}")))?
        }
    };
    let existing = child::Entity::find().filter(child::Column::CampaignId.eq(campaign.id)).count(db).await?;
    if existing > 0 {
        return Err(custom(format!(
            "campaign {} already has {existing} children: use an empty database",
            campaign.year
        )));
    }
    let republic = crate::org::republic(db).await?.ok_or_else(|| custom("the republic is missing".into()))?.id;
    let hash = domain::password::hash(&domain::password::one_time()).map_err(|e| custom(format!("{e:?}")))?;
    let loader = domain::user::NewUser {
        login: "national-loader".into(),
        full_name: "Загрузка национальных данных".into(),
        role: domain::Role::RepublicCoordinator,
        unit_id: republic,
    };
    let user = match crate::users::by_login(db, &loader.login).await? {
        Some(u) => u.user.id,
        None => crate::users::create_system(db, &loader, &hash, false).await.map_err(|e| custom(format!("{e:?}")))?.id,
    };
    Ok((campaign, user))
}

/// The districts and schools of every region, in proportion to the regions' weights; returns the
/// schools (id, path, rural).
pub(super) async fn units(
    db: &Db,
    scale: Scale,
    rng: &mut StdRng,
    summary: &mut Summary,
    now: chrono::DateTime<Utc>,
) -> Result<Vec<(i64, String, bool)>> {
    let total_weight: u32 = WEIGHTS.iter().map(|w| w.1).sum();

    // Districts and schools, ids given here so that paths are written once.
    let txn = crate::write_txn(db).await?;
    let mut next_unit = next_id(&txn, "org_units").await?;
    let mut units: Vec<org_unit::ActiveModel> = Vec::new();
    let mut schools: Vec<(i64, String, bool)> = Vec::new();
    let unit = |id: i64, kind: &str, parent: i64, path: String, ru: String, kk: String, school: Option<bool>| {
        org_unit::ActiveModel {
            id: Set(id),
            kind: Set(kind.into()),
            parent_id: Set(Some(parent)),
            path: Set(path),
            code: Set(school.map(|_| (id % 10_000).to_string())),
            search_key: Set(crate::org::fold(&format!("{ru} {kk}"))),
            name_ru: Set(ru),
            name_kk: Set(kk),
            settlement: Set(None),
            is_rural: Set(school),
            language: Set(school.map(|_| "kk".into())),
            active: Set(true),
            created_at: Set(now),
            updated_at: Set(now),
        }
    };
    // Schools by region in proportion to the weights (largest remainders), at least one each.
    let exact: Vec<f64> =
        WEIGHTS.iter().map(|w| scale.schools as f64 * f64::from(w.1) / f64::from(total_weight)).collect();
    let mut by_region: Vec<usize> = exact.iter().map(|x| (*x as usize).max(1)).collect();
    let mut order: Vec<usize> = (0..WEIGHTS.len()).collect();
    order.sort_by(|a, b| (exact[*b] - exact[*b].floor()).total_cmp(&(exact[*a] - exact[*a].floor())));
    for i in order.into_iter().cycle().take(WEIGHTS.len() * 2) {
        if by_region.iter().sum::<usize>() >= scale.schools {
            break;
        }
        by_region[i] += 1;
    }
    for ((code, _), in_region) in WEIGHTS.into_iter().zip(by_region) {
        let region = crate::org::region_by_code(&txn, code).await?.ok_or_else(|| custom(format!("region {code}")))?;
        let districts = scale.districts_per_region.min(in_region);
        for d in 0..districts {
            let id = next_unit;
            next_unit += 1;
            let path = format!("{}{id}/", region.path);
            units.push(unit(
                id,
                "district",
                region.id,
                path.clone(),
                format!("Район {} № {}", region.name_ru, d + 1),
                format!("{} № {} аудан", region.name_kk, d + 1),
                None,
            ));
            summary.districts += 1;
            let here = in_region / districts + usize::from(d < in_region % districts);
            for s in 0..here {
                let sid = next_unit;
                next_unit += 1;
                let rural = rng.random_bool(0.6);
                units.push(unit(
                    sid,
                    "school",
                    id,
                    format!("{path}{sid}/"),
                    format!("Школа № {} ({} № {})", s + 1, region.name_ru, d + 1),
                    format!("№ {} мектеп ({} № {})", s + 1, region.name_kk, d + 1),
                    Some(rural),
                ));
                schools.push((sid, format!("{path}{sid}/"), rural));
            }
        }
    }
    for batch in units.chunks(chunk(14)) {
        org_unit::Entity::insert_many(batch.to_vec()).exec_without_returning(&txn).await?;
    }
    txn.commit().await?;
    Ok(schools)
}
