//! Choosing a place on a public form without a script: the region, then its district, then its
//! school, each chosen by a GET form that lists the next level; a school's QR code names the
//! school alone, and its district and region follow from it. Shared by the appeal and survey forms.

use crate::I18n;
use crate::error::{Localize, PageError};

/// The place chosen so far and the lists to choose from.
#[derive(Debug, Clone, Default)]
pub struct Places {
    /// Every region.
    pub regions: Vec<(i64, String)>,
    /// The chosen region's districts.
    pub districts: Vec<(i64, String)>,
    /// The chosen district's schools.
    pub schools: Vec<(i64, String)>,
    /// The chosen region (0: none).
    pub region: i64,
    /// The chosen district (0: none).
    pub district: i64,
    /// The chosen school (0: none).
    pub school: i64,
    /// «Region, district, school», as chosen.
    pub name: String,
}

fn id(text: &str) -> i64 {
    text.trim().parse().unwrap_or(0)
}

/// Resolves what was typed (ids as text) into the place and its lists; an id of the wrong kind
/// or of no active unit is dropped.
pub async fn resolve(
    core: &app::Core,
    t: &I18n,
    region: &str,
    district: &str,
    school: &str,
) -> Result<Places, PageError> {
    use domain::OrgKind;
    let (mut region, mut district, mut school) = (id(region), id(district), id(school));
    if school > 0 {
        match app::orgs::public_unit(core, school).await.page(t)? {
            Some(s) if app::orgs::kind_of(&s) == OrgKind::School => district = s.parent_id.unwrap_or(0),
            _ => school = 0,
        }
    }
    if district > 0 {
        match app::orgs::public_unit(core, district).await.page(t)? {
            Some(d) if app::orgs::kind_of(&d) == OrgKind::District => region = d.parent_id.unwrap_or(0),
            _ => (district, school) = (0, 0),
        }
    }
    let names = |rows: Vec<app::entity::org_unit::Model>| -> Vec<(i64, String)> {
        rows.iter().map(|u| (u.id, t.name(&u.name_ru, &u.name_kk).to_owned())).collect()
    };
    let regions = names(app::orgs::regions(core).await.page(t)?);
    if !regions.iter().any(|(i, _)| *i == region) {
        (region, district, school) = (0, 0, 0);
    }
    let districts =
        if region > 0 { names(app::orgs::public_children(core, region).await.page(t)?) } else { Vec::new() };
    let schools =
        if district > 0 { names(app::orgs::public_children(core, district).await.page(t)?) } else { Vec::new() };
    let name_of = |list: &[(i64, String)], id: i64| list.iter().find(|(i, _)| *i == id).map(|(_, n)| n.clone());
    let name = [name_of(&regions, region), name_of(&districts, district), name_of(&schools, school)]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    Ok(Places { regions, districts, schools, region, district, school, name })
}
