//! `doroga backup` and `doroga restore`: a loaded database with its proofs, backed up while it
//! serves, restored into a fresh database and folder, gives the same reports, audit log and files.

use axum::http::StatusCode;
use domain::ChildId;
use domain::aid::EntryStatus;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};

use crate::aid::{cash, setup};
use crate::proofs::PNG;
use crate::reports::totals_match_ledger;
use crate::support::{PASSWORD, backend, rand_suffix};

/// A fresh database address (nothing made yet) and how to drop it.
fn fresh_url(dir: &std::path::Path) -> (String, Option<String>) {
    if backend() == "postgres" {
        let base = std::env::var("DOROGA_TEST_PG_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
        let name = format!("doroga_r_{}_{}", std::process::id(), rand_suffix().to_lowercase());
        (format!("{base}/{name}"), Some(format!("{base}/postgres|{name}")))
    } else {
        (format!("sqlite://{}?mode=rwc", dir.join("restored.db").display()), None)
    }
}

async fn drop_fresh(drop: Option<String>) {
    if let Some(d) = drop {
        let (admin, name) = d.split_once('|').unwrap();
        let admin = db::connect(admin, 1).await.unwrap();
        admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).await.unwrap();
    }
}

async fn audit_len(db: &db::Db) -> u64 {
    db::entity::audit_log::Entity::find().count(db).await.unwrap()
}

/// The first child paid from the fund, and the receipt uploaded by the school through the API:
/// the school's signed-in client and the proof's id.
async fn paid_with_proof(s: &crate::aid::Setup) -> (crate::support::Client, i64) {
    let db = &s.w.app.db;
    let paid = db::ledger::record(db, &s.school, &s.c, ChildId(s.children[0]), &cash("46 228"), EntryStatus::Delivered)
        .await
        .unwrap();
    let mut sch = s.w.app.client();
    sch.post_form("/login", &[("login", "sch"), ("password", PASSWORD)]).await;
    let r = sch.upload(&format!("/api/v1/aid/{}/proofs", paid.id), "чек.png", PNG).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    (sch, r.json()["id"].as_i64().unwrap())
}

#[tokio::test]
async fn a_backup_restores_into_a_fresh_database_with_every_total_the_audit_log_and_the_proofs() {
    let s = setup(3, 5).await;
    let db = &s.w.app.db;
    let (mut sch, proof) = paid_with_proof(&s).await;
    db::ledger::record(db, &s.school, &s.c, ChildId(s.children[1]), &cash("12 500"), EntryStatus::Planned)
        .await
        .unwrap();
    let totals = totals_match_ledger(db).await;
    assert!(!totals.is_empty());
    let audit = audit_len(db).await;

    let work = tempfile::tempdir().unwrap();
    let to = work.path().join("backup");
    let m = app::backup::backup(db, &s.w.app.url, s.w.app.uploads.path(), &to).await.unwrap();
    assert_eq!((m.counts.children, m.counts.proofs, m.proof_files), (3, 1, 1));
    assert_eq!(m.counts.audit_entries, audit);
    // The server goes on after the copy; the copy holds what it held then.
    sch.get(&format!("/api/v1/proofs/{proof}/file")).await;
    assert!(audit_len(db).await > audit, "reading a proof is logged");

    let (url, dropping) = fresh_url(work.path());
    let uploads = work.path().join("restored-uploads");
    let restored = app::backup::restore(&url, &to, &uploads).await;
    let result = async {
        let restored = restored.unwrap();
        assert_eq!(restored, m);
        let rdb = db::connect(&url, 2).await.unwrap();
        assert_eq!(totals_match_ledger(&rdb).await, totals, "every report total, and the triggers keep them");
        assert_eq!(audit_len(&rdb).await, audit, "the audit log as it was at the copy");
        // The restored system serves the proof's file to the school, byte for byte.
        let config = web::WebConfig { upload_dir: uploads.clone(), ..Default::default() };
        let state = web::AppState::new(app::Core::new(rdb.clone()).unwrap(), config);
        let mut again = crate::support::Client { router: web::app(state), ..s.w.app.client() };
        let r = again.post_form("/login", &[("login", "sch"), ("password", PASSWORD)]).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        assert_eq!(again.get_bytes(&format!("/api/v1/proofs/{proof}/file")).await, PNG);
        rdb.close().await.unwrap();
        // A database in use is never written over.
        let over = app::backup::restore(&url, &to, &uploads).await;
        let why = over.unwrap_err().to_string();
        assert!(
            why.contains(if backend() == "postgres" { "tables; restore into a new one" } else { "exists already" }),
            "{why}"
        );
        let over = app::backup::restore(&s.w.app.url, &to, &uploads).await;
        assert!(over.is_err(), "the live database is refused");
    }
    .await;
    drop_fresh(dropping).await;
    result
}

#[tokio::test]
async fn a_restore_refuses_a_backup_whose_proof_file_was_changed() {
    let s = setup(1, 5).await;
    let db = &s.w.app.db;
    paid_with_proof(&s).await;
    let work = tempfile::tempdir().unwrap();
    let to = work.path().join("backup");
    app::backup::backup(db, &s.w.app.url, s.w.app.uploads.path(), &to).await.unwrap();
    let kept: Vec<_> = walk(&to.join("proofs"));
    assert_eq!(kept.len(), 1);
    std::fs::write(&kept[0], b"\x89PNG changed").unwrap();
    let (url, dropping) = fresh_url(work.path());
    let e = app::backup::restore(&url, &to, &work.path().join("u")).await.unwrap_err();
    drop_fresh(dropping).await;
    assert!(e.to_string().contains("differs from its record"), "{e}");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        if e.path().is_dir() {
            files.extend(walk(&e.path()));
        } else {
            files.push(e.path());
        }
    }
    files
}
