//! `doroga user …`: accounts from the command line.

use anyhow::Result;
use clap::Subcommand;
use db::Db;
use domain::user::NewUserInput;

#[derive(Debug, Subcommand)]
pub enum UserAction {
    /// Adds an account.
    Add {
        /// Login.
        #[arg(long)]
        login: String,
        /// Full name.
        #[arg(long)]
        name: String,
        /// Role: republic_coordinator, region_coordinator, district_coordinator,
        /// school_coordinator, raid_member, auditor, sponsor.
        #[arg(long)]
        role: String,
        /// The org unit's id (see the pages or `GET /api/v1/org-units`); default the republic.
        #[arg(long)]
        unit: Option<i64>,
        /// A password to set; without it a one-time password is printed.
        #[arg(long, env = "DOROGA_NEW_PASSWORD")]
        password: Option<String>,
    },
    /// Sets a new password (one-time unless given).
    Password {
        /// Login.
        login: String,
        /// The new password; without it a one-time password is printed.
        #[arg(long, env = "DOROGA_NEW_PASSWORD")]
        password: Option<String>,
    },
    /// Disables an account: its sessions end, its tokens are revoked.
    Disable {
        /// Login.
        login: String,
    },
    /// Enables a disabled account.
    Enable {
        /// Login.
        login: String,
    },
}

/// Hashes a password (or a fresh one-time password); returns the hash and the password to show.
fn password_hash(given: Option<String>, login: &str) -> Result<(String, Option<String>)> {
    match given {
        Some(p) => {
            domain::password::check_new("password", &p, login).map_err(|e| crate::cli_error::invalid(&e))?;
            Ok((domain::password::hash(&p)?, None))
        }
        None => {
            let p = domain::password::one_time();
            Ok((domain::password::hash(&p)?, Some(p)))
        }
    }
}

pub async fn command(db: &Db, action: UserAction) -> Result<()> {
    match action {
        UserAction::Add { login, name, role, unit, password } => {
            let unit = match unit {
                Some(u) => u,
                None => crate::demo::republic_id(db).await?,
            };
            let new = NewUserInput { login, full_name: name, role, unit_id: Some(unit) }
                .parse()
                .map_err(|e| crate::cli_error::invalid(&e))?;
            let (hash, shown) = password_hash(password, &new.login)?;
            let created =
                db::users::create_system(db, &new, &hash, shown.is_some()).await.map_err(crate::cli_error::db)?;
            println!("created user {} (id {})", created.login, created.id);
            if let Some(p) = shown {
                println!("one-time password: {p}");
            }
        }
        UserAction::Password { login, password } => {
            let (hash, shown) = password_hash(password, &login)?;
            db::users::set_password_system(db, &login, &hash, shown.is_some()).await.map_err(|e| match e {
                db::Error::NotFound => crate::cli_error::text("cli-no-user", "login", &login),
                other => crate::cli_error::db(other),
            })?;
            match shown {
                Some(p) => println!("one-time password for {login}: {p}"),
                None => println!("password set for {login}"),
            }
        }
        UserAction::Disable { login } => set_active(db, &login, false).await?,
        UserAction::Enable { login } => set_active(db, &login, true).await?,
    }
    Ok(())
}

async fn set_active(db: &Db, login: &str, active: bool) -> Result<()> {
    let Some(u) = db::users::by_login(db, login).await? else {
        return Err(crate::cli_error::text("cli-no-user", "login", login));
    };
    db::users::set_active(db, None, &u, active).await.map_err(crate::cli_error::db)?;
    println!("{login}: {}", if active { "enabled" } else { "disabled" });
    Ok(())
}
