//! A school's poster (PDF, Russian or Kazakh): the campaign, the school, a QR code to its survey
//! «Готов ли Ваш ребёнок к школе?» and one to an appeal about it (both marked as scanned, so that
//! an appeal counts under the QR channel), the addresses written out for those without a camera,
//! and the contacts of the school, its district and region.

use domain::{Actor, ErrorCode, Invalid, OrgUnitId};
use i18n::I18n;

use crate::{Core, Error};

/// The poster of school `id` (in the actor's scope) with its links under `base` (the site's
/// address as the public reaches it, `https://doroga.edu.kz`).
pub async fn poster(core: &Core, actor: &Actor, t: &I18n, id: OrgUnitId, base: &str) -> Result<Vec<u8>, Error> {
    let school = crate::orgs::view(core, actor, id).await?;
    if school.kind != "school" {
        return Err(Invalid::one("unit", ErrorCode::NotASchool).into());
    }
    // The units above it are public (the front page names them): its path's ids, top down.
    let mut ids: Vec<i64> = school.path.split('/').filter_map(|p| p.parse().ok()).collect();
    let mut above = Vec::new();
    for id in ids.iter().filter(|id| **id != school.id) {
        above.extend(crate::orgs::public_unit(core, *id).await?);
    }
    ids.retain(|id| *id != school.id);
    ids.push(school.id);
    let contacts = crate::orgs::public_contacts(core, &ids).await?;
    let name = |u: &crate::entity::org_unit::Model| t.name(&u.name_ru, &u.name_kk).to_owned();
    let place = above.iter().rev().filter(|u| u.kind != "republic").map(name).collect::<Vec<_>>();
    // The school's own first, then its district's and region's.
    let mut lines = Vec::new();
    for unit in std::iter::once(&school).chain(above.iter().rev()) {
        let Some(c) = contacts.iter().find(|c| c.unit_id == unit.id) else { continue };
        let mut parts = Vec::new();
        for (key, value) in [("field-hotline", &c.hotline), ("field-trust-phone", &c.trust_phone)] {
            if let Some(v) = value.as_deref().filter(|v| !v.is_empty()) {
                parts.push(format!("{}: {v}", t.t(key)));
            }
        }
        if !parts.is_empty() {
            lines.push(format!("{} — {}", name(unit), parts.join(", ")));
        }
    }
    lines.push(t.t("poster-111"));
    let base = base.trim_end_matches('/');
    let code = |heading: &str, note: &str, page: &str| pdf::Code {
        heading: t.t(heading),
        note: t.t(note),
        url: format!("{base}/{page}?school={}&qr=1", school.id),
    };
    let p = pdf::Poster {
        lang: t.locale.code().to_owned(),
        title: t.t("app-name"),
        school: name(&school),
        place: place.join(", "),
        codes: vec![
            code("poster-survey", "poster-survey-note", "survey"),
            code("poster-appeal", "poster-appeal-note", "appeal"),
        ],
        lines,
        footer: t.t("poster-footer"),
    };
    tokio::task::spawn_blocking(move || pdf::poster(&p))
        .await
        .map_err(|e| Error::Internal(e.to_string()))?
        .map_err(|e| Error::Internal(e.to_string()))
}
