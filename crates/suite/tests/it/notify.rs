//! Notifications through a real SMTP server: Python's aiosmtpd on 127.0.0.1, started here into a
//! maildir of the test's own (`pip install aiosmtpd`; `.ci/run` installs it), read back with
//! Python's `email` package. An appeal's applicant and its unit are written to in the event's
//! transaction; a server that is down keeps the message in the outbox, tried again later and sent
//! once the server is up; the last attempt's failure is what the coordinators see.

use std::process::{Child, Command, Stdio};

use axum::http::{Method, StatusCode};
use domain::Role;
use serde_json::json;

use crate::World;

/// An SMTP server on a free port of this machine, writing what it receives into a maildir.
pub struct Smtp {
    child: Child,
    pub port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Smtp {
    pub async fn start() -> Smtp {
        let dir = tempfile::tempdir().unwrap();
        let port = free_port();
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(dir.path().join("mail"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd (pip install aiosmtpd)");
        let smtp = Smtp { child, port, dir };
        for _ in 0..100 {
            if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return smtp;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("aiosmtpd did not listen on {port} (pip install aiosmtpd)");
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// What arrived: recipient, subject and text of each message, decoded.
    pub fn received(&self) -> Vec<(String, String, String)> {
        let script = "import mailbox, json, sys\n\
            out = []\n\
            for m in mailbox.Maildir(sys.argv[1], create=False):\n\
            \x20   body = m.get_payload(decode=True).decode(m.get_content_charset() or 'utf-8')\n\
            \x20   out.append([m['To'], str(__import__('email.header', fromlist=['x']).make_header(__import__('email.header', fromlist=['x']).decode_header(m['Subject']))), body])\n\
            print(json.dumps(out))";
        let out = Command::new("python3").args(["-c", script]).arg(self.dir.path().join("mail")).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let list: Vec<(String, String, String)> = serde_json::from_slice(&out.stdout).unwrap();
        list
    }
}

async fn outbox(db: &db::Db) -> Vec<db::entity::outbox::Model> {
    use sea_orm::{EntityTrait, QueryOrder};
    db::entity::outbox::Entity::find().order_by_asc(db::entity::outbox::Column::Id).all(db).await.unwrap()
}

#[tokio::test]
async fn appeals_are_told_by_e_mail_and_a_server_that_is_down_only_delays_them() {
    let w = World::new().await;
    let core = &w.app.state.core;
    let mut sch = w.app.signed_in("sch", Role::SchoolCoordinator, w.school_s1).await;
    let mut dist = w.app.signed_in("dist", Role::DistrictCoordinator, w.district_a1).await;
    let r = sch.json(Method::PUT, "/api/v1/me/email", json!({ "email": "School1@Example.kz" })).await;
    assert_eq!(r.json()["email"], "school1@example.kz", "{}", r.body);
    let r = sch.json(Method::PUT, "/api/v1/me/email", json!({ "email": "not an address" })).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    dist.json(Method::PUT, "/api/v1/me/email", json!({ "email": "district@example.kz" })).await;

    // A visitor files in Kazakh with an e-mail: the applicant and the school are to be told.
    let mut visitor = w.app.client();
    visitor.post_form("/lang", &[("lang", "kk")]).await;
    let body = json!({ "client_key": "7f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "topic": "help_not_received",
        "applicant_name": "Аслан", "email": "aslan@example.kz", "school": w.school_s1.to_string(), "text": "Рюкзак жоқ" });
    let r = visitor.json(Method::POST, "/api/v1/public/appeals", body).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let code = r.json()["code"].as_str().unwrap().to_owned();
    let queued = outbox(&w.app.db).await;
    let to: Vec<(&str, &str, &str)> =
        queued.iter().map(|m| (m.recipient.as_str(), m.kind.as_str(), m.locale.as_str())).collect();
    assert_eq!(to, [("aslan@example.kz", "appeal_registered", "kk"), ("school1@example.kz", "appeal_new", "ru")]);

    // The mail server is down: both wait, tried again in a minute, the error kept.
    let down =
        app::notify::Mailer::smtp(&format!("smtp://127.0.0.1:{}", free_port()), "Doroga <noreply@doroga.kz>").unwrap();
    let now = chrono::Utc::now().timestamp();
    let round = app::notify::deliver(core, &down, now).await.unwrap();
    assert_eq!((round.sent, round.retried), (0, 2));
    let after = outbox(&w.app.db).await;
    assert!(
        after.iter().all(|m| m.attempts == 1 && m.sent_at.is_none() && m.last_error.is_some() && m.next_at >= now + 60)
    );
    let r = dist.get("/api/v1/notifications").await;
    assert_eq!(
        r.json().as_array().map(Vec::len),
        Some(2),
        "the district sees the school\'s waiting messages: {}",
        r.body
    );
    let smtp = Smtp::start().await;
    let up = app::notify::Mailer::smtp(&smtp.url(), "Doroga <noreply@doroga.kz>").unwrap();
    assert_eq!(app::notify::deliver(core, &up, now).await.unwrap().sent, 0, "not before their time");
    assert_eq!(app::notify::deliver(core, &up, now + 61).await.unwrap().sent, 2);
    assert_eq!(app::notify::deliver(core, &up, now + 3600).await.unwrap().sent, 0, "each once");

    // The school answers: the applicant is told the answer, in Kazakh.
    let id = dist.get("/api/v1/appeals").await.json()["rows"][0]["id"].as_i64().unwrap();
    let r = sch
        .json(
            Method::POST,
            &format!("/api/v1/appeals/{id}/answer"),
            json!({ "answer": "Рюкзак 5 қыркүйекте берілді." }),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(app::notify::deliver(core, &up, now + 3600).await.unwrap().sent, 1);
    let mail = smtp.received();
    let find = |to: &str, kind: &str| -> (String, String) {
        let m = mail
            .iter()
            .find(|(t, s, _)| t.contains(to) && s.contains(kind))
            .unwrap_or_else(|| panic!("{to} {kind}: {mail:?}"));
        (m.1.clone(), m.2.clone())
    };
    let (subject, text) = find("aslan@example.kz", "қабылданды");
    assert!(subject.contains(&code) && text.contains(&code) && text.contains("Школа № 1 (қаз)"), "{subject} {text}");
    let (_, text) = find("school1@example.kz", "Новое обращение");
    assert!(text.contains("Не получил помощь") && text.contains(&code), "{text}");
    let (_, text) = find("aslan@example.kz", "жауап");
    assert!(text.contains("Рюкзак 5 қыркүйекте берілді."), "{text}");
    assert_eq!(mail.len(), 3, "{mail:?}");
}

#[tokio::test]
async fn a_message_is_given_up_after_its_last_attempt_and_an_escalation_tells_the_level_above() {
    let w = World::new().await;
    let core = &w.app.state.core;
    let mut dist = w.app.signed_in("dist", Role::DistrictCoordinator, w.district_a1).await;
    dist.json(Method::PUT, "/api/v1/me/email", json!({ "email": "district@example.kz" })).await;
    let sch =
        db::users::by_id(&w.app.db, domain::UserId(w.app.user("sch", Role::SchoolCoordinator, w.school_s1).await))
            .await
            .unwrap()
            .unwrap()
            .actor();
    let f = domain::appeal::AppealInput {
        channel: "hotline".into(),
        topic: "not_at_school".into(),
        applicant_name: "Гүлнар".into(),
        email: "gulnar@example.kz".into(),
        school: w.school_s1.to_string(),
        text: "Бала мектепке бармайды".into(),
        ..Default::default()
    }
    .parse(None)
    .unwrap();
    let (a, _) =
        db::appeals::register(&w.app.db, db::appeals::By::Staff(&sch), &f, None, chrono::Utc::now()).await.unwrap();
    let escalated = db::appeals::escalate(&w.app.db, a.due_on + chrono::Days::new(1)).await.unwrap();
    assert_eq!(escalated.len(), 2, "{escalated:?}");
    let kinds: Vec<(String, String)> = outbox(&w.app.db).await.into_iter().map(|m| (m.recipient, m.kind)).collect();
    assert!(kinds.contains(&("district@example.kz".into(), "appeal_due_soon".into())), "{kinds:?}");
    assert!(kinds.contains(&("district@example.kz".into(), "appeal_overdue".into())), "{kinds:?}");
    // Down for every attempt: given up after the last, and it stays listed.
    let down = app::notify::Mailer::smtp(&format!("smtp://127.0.0.1:{}", free_port()), "noreply@doroga.kz").unwrap();
    let mut now = chrono::Utc::now().timestamp();
    let mut given_up = 0;
    for _ in 0..=app::notify::BACKOFF.len() {
        given_up += app::notify::deliver(core, &down, now).await.unwrap().given_up;
        now += 86_400;
    }
    assert_eq!(given_up, 3);
    let left = outbox(&w.app.db).await;
    assert!(
        left.iter().all(|m| m.failed_at.is_some() && m.attempts == app::notify::BACKOFF.len() as i16 + 1),
        "{left:?}"
    );
    let page = dist.get("/notifications").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("district@example.kz") && page.body.contains("data-state=\"failed\""), "{}", page.body);
}
