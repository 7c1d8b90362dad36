//! SMS through a provider's HTTP gateway, the outbox's second adapter: a POST of
//! `{"to": "+77011234567", "text": "…"}` as JSON to the configured address with
//! `Authorization: Bearer <token>`; any 2xx answer is "sent". Kazakhstan's providers (SMSC.kz,
//! Mobizon and the like) each have an API of their own; a small relay in front of the one chosen
//! takes this request (the address and token are `--sms-url` and `--sms-token`, README).

use std::time::Duration;

/// A provider's gateway.
#[derive(Debug, Clone)]
pub struct Gateway {
    url: String,
    token: String,
}

impl Gateway {
    /// The gateway at `url`, with its token.
    pub fn new(url: &str, token: &str) -> Self {
        Gateway { url: url.to_owned(), token: token.to_owned() }
    }

    /// Sends `text` to the phone `to`.
    pub async fn send(&self, to: &str, text: &str) -> Result<(), String> {
        let (url, auth) = (self.url.clone(), format!("Bearer {}", self.token));
        let body = serde_json::json!({ "to": to, "text": text }).to_string();
        tokio::task::spawn_blocking(move || {
            let agent: ureq::Agent =
                ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(20))).build().into();
            agent
                .post(&url)
                .header("Authorization", &auth)
                .content_type("application/json")
                .send(&body)
                .map(|_| ())
                .map_err(|e| format!("the SMS gateway: {e}"))
        })
        .await
        .map_err(|e| e.to_string())?
    }
}
