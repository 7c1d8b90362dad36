//! The demo's appeals and survey answers: a hotline call the district registered about school
//! № 1, a parent's appeal from the web form with an e-mail, one already answered, and two survey
//! answers (one asking for help: a lead at school № 1). Loaded once.

use anyhow::{Context, Result};
use db::Db;
use domain::appeal::AppealInput;
use domain::survey::SurveyInput;

/// Loads the appeals and answers once (none are added when the district has appeals).
pub async fn load(db: &Db, district: i64, school: i64) -> Result<()> {
    let err = |e: db::error::Error| anyhow::anyhow!("{e:?}");
    let balkhash = db::users::by_login(db, "balkhash").await?.context("demo district user")?.actor();
    let today = domain::calendar::today();
    let open = db::appeals::list(db, &balkhash, db::appeals::View::All, None, today).await.map_err(err)?;
    if !open.0.is_empty() {
        return Ok(());
    }
    let now = chrono::Utc::now();
    let hotline = AppealInput {
        channel: "hotline".into(),
        topic: "help_not_received".into(),
        applicant_name: "Сапарова Айгерим".into(),
        phone: "+7 701 555 12 34".into(),
        school: school.to_string(),
        text: "Сыну (3 класс) обещали школьную форму, до сих пор не выдали.".into(),
        ..Default::default()
    };
    let f = hotline.parse(None).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    db::appeals::register(db, db::appeals::By::Staff(&balkhash), &f, None, now).await.map_err(err)?;
    let web = AppealInput {
        topic: "not_at_school".into(),
        applicant_name: "Ерлан".into(),
        email: "erlan@example.kz".into(),
        district: district.to_string(),
        text: "Соседская девочка с сентября не ходит в школу, сидит дома с младшими.".into(),
        ..Default::default()
    };
    let f = web.parse(Some(domain::appeal::Channel::Web)).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let by = db::appeals::By::Public {
        client_key: "0d3e4f50-1a2b-4c3d-8e4f-5a6b7c8d9e0f",
        client_addr: "127.0.0.1",
        locale: "ru",
        limit: None,
    };
    db::appeals::register(db, by, &f, None, now).await.map_err(err)?;
    let answered = AppealInput {
        channel: "trust_phone".into(),
        topic: "other".into(),
        anonymous: true,
        school: school.to_string(),
        text: "Спросили, какие документы нужны для помощи многодетной семье.".into(),
        ..Default::default()
    };
    let f = answered.parse(None).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let (a, _) = db::appeals::register(db, db::appeals::By::Staff(&balkhash), &f, None, now).await.map_err(err)?;
    let text = "Справка о составе семьи и заявление на имя директора школы.";
    db::appeals::answer(db, &balkhash, a.id, text, now).await.map_err(err)?;
    for (key, help) in [("1d3e4f50-1a2b-4c3d-8e4f-5a6b7c8d9e0f", true), ("2d3e4f50-1a2b-4c3d-8e4f-5a6b7c8d9e0f", false)]
    {
        let input = SurveyInput {
            school: school.to_string(),
            ready: if help { "no" } else { "yes" }.into(),
            grades: vec!["2".into(), "6".into()],
            missing: if help { vec!["outerwear".into(), "shoes".into()] } else { Vec::new() },
            situation: vec!["large_family".into()],
            help: if help { "yes" } else { "" }.into(),
            contact_name: if help { "Гүлнар" } else { "" }.into(),
            phone: if help { "+7 702 111 22 33" } else { "" }.into(),
            consent: if help { "yes" } else { "" }.into(),
            ..Default::default()
        };
        let f = input.parse().map_err(|e| anyhow::anyhow!("{e:?}"))?;
        db::survey::submit(db, &f, key, "127.0.0.1", "ru", None, now).await.map_err(err)?;
    }
    Ok(())
}
