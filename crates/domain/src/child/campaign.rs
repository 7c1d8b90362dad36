//! A campaign year as typed and checked.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::check::date;
use super::*;
use crate::ErrorCode;
use crate::error::{Checker, FieldError, Invalid};
use crate::format::Tenge;

/// A campaign as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
pub struct CampaignInput {
    /// Year, e.g. `2026`.
    #[serde(default)]
    pub year: String,
    /// First day (`01.08.2026`).
    #[serde(default)]
    pub starts_on: String,
    /// Last day (`30.09.2026`).
    #[serde(default)]
    pub ends_on: String,
    /// Motto in Russian.
    #[serde(default)]
    pub motto_ru: String,
    /// Motto in Kazakh.
    #[serde(default)]
    pub motto_kk: String,
    /// The cash norm in tenge for regions without their own.
    #[serde(default)]
    pub default_norm: String,
}

/// A checked campaign.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CampaignFields {
    /// Year.
    pub year: i32,
    /// First day.
    pub starts_on: NaiveDate,
    /// Last day.
    pub ends_on: NaiveDate,
    /// Motto in Russian.
    pub motto_ru: String,
    /// Motto in Kazakh.
    pub motto_kk: String,
    /// The default cash norm.
    pub default_norm: Tenge,
}

impl CampaignInput {
    /// Checks every field. Work outside 1 August – 30 September is allowed: help runs all year.
    pub fn parse(&self) -> Result<CampaignFields, Invalid> {
        let mut c = Checker::default();
        let year = match self.year.trim().parse::<i32>() {
            Ok(y) if (2008..=2100).contains(&y) => Some(y),
            _ => {
                c.push(FieldError::new("year", ErrorCode::YearRange));
                None
            }
        };
        let starts_on = date(&mut c, "starts_on", &self.starts_on, true);
        let ends_on = date(&mut c, "ends_on", &self.ends_on, true);
        if let (Some(s), Some(e)) = (starts_on, ends_on)
            && e < s
        {
            c.push(FieldError::new("ends_on", ErrorCode::PeriodReversed));
        }
        let motto_ru = c.text("motto_ru", &self.motto_ru, 300);
        let motto_kk = c.text("motto_kk", &self.motto_kk, 300);
        let default_norm = parse_tenge(&self.default_norm).filter(|t| t.0 > 0);
        if default_norm.is_none() {
            c.push(FieldError::new("default_norm", ErrorCode::AmountFormat));
        }
        match (year, starts_on, ends_on, default_norm) {
            (Some(year), Some(starts_on), Some(ends_on), Some(default_norm)) => {
                c.finish(CampaignFields { year, starts_on, ends_on, motto_ru, motto_kk, default_norm })
            }
            _ => Err(c.finish(()).err().unwrap_or_else(|| Invalid::one("year", ErrorCode::Required))),
        }
    }
}
