//! A school's poster: one page, in Russian or Kazakh, whose two QR codes, read back from the
//! printed page, open that school's survey and appeal form (marked as scanned); the school's and
//! its district's contacts printed under them; refused outside the scope, for a unit that is not
//! a school, and to the roles that do not see the hierarchy; the same from the page and the API.

use std::process::Command;

use axum::http::{Method, StatusCode};
use domain::Role;
use serde_json::json;

use crate::World;
use crate::reports::flat;
use crate::support::pdftotext;

/// The QR codes on the PDF's first page, as text: the page printed in grey at 150 dpi (poppler's
/// pdftoppm), each code found and decoded.
fn codes(pdf: &[u8]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("poster.pdf");
    std::fs::write(&file, pdf).unwrap();
    let out = dir.path().join("page");
    let ok = Command::new("pdftoppm")
        .args(["-gray", "-r", "150", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&file)
        .arg(&out)
        .status()
        .expect("pdftoppm (poppler-utils) runs");
    assert!(ok.success());
    let pgm = std::fs::read(dir.path().join("page.pgm")).unwrap();
    // P5, width, height, max value, one whitespace, then a byte per pixel.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !pgm[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&pgm[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let pixels = &pgm[at + 1..];
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| pixels[y * w + x]);
    let mut found: Vec<String> = img.detect_grids().iter().filter_map(|g| g.decode().ok()).map(|(_, s)| s).collect();
    found.sort();
    found
}

#[tokio::test]
async fn a_schools_poster_holds_codes_that_open_its_survey_and_appeal_form() {
    let w = World::new().await;
    let mut dist = w.app.signed_in("dist", Role::DistrictCoordinator, w.district_a1).await;
    let body = json!({ "hotline": "8 7213 00 11 22", "trust_phone": "", "reception": "", "email": "" });
    let r = dist.json(Method::PUT, &format!("/api/v1/org-units/{}/contacts", w.district_a1), body).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    // The school's page links it in both languages; a district's page does not.
    let page = dist.get(&format!("/orgs/{}", w.school_s1)).await.body;
    for lang in ["ru", "kk"] {
        assert!(page.contains(&format!("/orgs/{}/poster?lang={lang}", w.school_s1)), "{page}");
    }
    assert!(!dist.get(&format!("/orgs/{}", w.district_a1)).await.body.contains("/poster?"));
    let pdf = dist.get_bytes(&format!("/orgs/{}/poster?lang=ru", w.school_s1)).await;
    assert!(pdf.starts_with(b"%PDF-"), "{}", String::from_utf8_lossy(&pdf[..pdf.len().min(300)]));
    let s = w.school_s1;
    assert_eq!(
        codes(&pdf),
        [format!("http://localhost/appeal?school={s}&qr=1"), format!("http://localhost/survey?school={s}&qr=1")]
    );
    // Read in reading order (the two columns one after the other).
    let text = flat(&pdftotext(&pdf, &[]));
    for want in ["Дорога в школу", "Школа № 1", "Готов ли ваш ребёнок к школе?", "г. Балхаш", "8 7213 00 11 22", "111"]
    {
        assert!(text.contains(want), "{want} on the poster: {text}");
    }
    // In Kazakh, from the API.
    let r = dist.get(&format!("/api/v1/org-units/{s}/poster?lang=kk")).await;
    assert_eq!(r.status, StatusCode::OK);
    let kk = flat(&pdftotext(&dist.get_bytes(&format!("/api/v1/org-units/{s}/poster?lang=kk")).await, &[]));
    assert!(kk.contains("Балаңыз мектепке дайын ба?") && kk.contains("Балқаш қаласы"), "{kk}");
    // The code opens the school's form, marked as scanned.
    let mut visitor = w.app.client();
    let r = visitor.get(&format!("/survey?school={s}&qr=1")).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Школа № 1"), "{}", r.body);

    // Not a school; out of scope; a role that does not see the hierarchy: refused at both doors.
    let r = dist.get(&format!("/api/v1/org-units/{}/poster", w.district_a1)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["error"]["fields"][0]["code"], "not_a_school");
    let mut sponsor = w.app.signed_in("spon", Role::Sponsor, w.region_a).await;
    for (c, path) in [(&mut dist, format!("/orgs/{}/poster", w.school_s4)), (&mut sponsor, format!("/orgs/{s}/poster"))]
    {
        let r = c.get(&path).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{path}: {}", r.body);
        let api = path.replace("/orgs/", "/api/v1/org-units/");
        assert_eq!(c.get(&api).await.status, StatusCode::FORBIDDEN, "{api}");
    }
}
