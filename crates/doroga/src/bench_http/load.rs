//! wrk: its scripts and what it reports.

use std::process::Command;

use anyhow::{Context, Result, anyhow, bail};

/// What wrk saw.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Load {
    pub(super) rps: f64,
    pub(super) p50_ms: f64,
    pub(super) p99_ms: f64,
}

pub(super) fn millis(text: &str) -> f64 {
    let (number, unit) = text.trim().split_at(text.trim().find(|c: char| c.is_alphabetic()).unwrap_or(text.len()));
    let n: f64 = number.parse().unwrap_or(f64::NAN);
    match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => f64::NAN,
    }
}

/// Runs wrk with `script` against `base` and reads its report; any non-2xx answer fails the run.
pub(super) fn wrk(base: &str, script: &str, connections: usize, seconds: u64) -> Result<Load> {
    let file = tempfile::Builder::new().suffix(".lua").tempfile()?;
    std::fs::write(file.path(), script)?;
    let out = Command::new("wrk")
        .args([
            "-t",
            &connections.clamp(1, 2).to_string(),
            "-c",
            &connections.to_string(),
            "-d",
            &format!("{seconds}s"),
            "--timeout",
            "60s",
            "--latency",
            "-s",
        ])
        .arg(file.path())
        .arg(base)
        .output()
        .context("running wrk (apt-get install wrk)")?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    if let Some(line) = text.lines().find(|l| l.contains("Non-2xx")) {
        bail!("wrk saw errors ({line}):\n{text}");
    }
    let field =
        |prefix: &str| text.lines().find_map(|l| l.trim().strip_prefix(prefix).map(str::trim).map(str::to_owned));
    let rps = field("Requests/sec:").and_then(|v| v.parse().ok()).ok_or_else(|| anyhow!("wrk said:\n{text}"))?;
    let p50 = field("50%").map_or(f64::NAN, |v| millis(&v));
    let p99 = field("99%").map_or(f64::NAN, |v| millis(&v));
    Ok(Load { rps, p50_ms: p50, p99_ms: p99 })
}

pub(super) fn lua(token: &str, method: &str, body: Option<&str>, path: &str) -> String {
    let body = body.map(|b| format!("wrk.body = [[{b}]]\nwrk.headers[\"Content-Type\"] = \"application/json\"\n"));
    format!(
        "wrk.method = \"{method}\"\nwrk.headers[\"Authorization\"] = \"Bearer {token}\"\n{}{path}\n",
        body.unwrap_or_default()
    )
}

/// A script whose every request asks `prefix` followed by a random id of `range`.
pub(super) fn random_ids(token: &str, prefix: &str, range: (i64, i64)) -> String {
    lua(
        token,
        "GET",
        None,
        &format!(
            "math.randomseed(os.time())\nrequest = function()\n  return wrk.format(nil, \"{prefix}\" .. math.random({}, {}))\nend",
            range.0, range.1
        ),
    )
}

/// A script that adds children with new valid IINs (born 2012–2016, serials from 5000, which the
/// national data set never uses), each wrk thread its own serials.
pub(super) fn new_children(token: &str, school: i64, start: u64) -> String {
    let body = format!(
        "{{\"school_id\":{school},\"iin\":\"%s\",\"surname\":\"Нагрузова\",\"first_name\":\"Айгерим\",\
         \"grade\":\"5\",\"study_language\":\"kk\",\"categories\":[\"asp\"],\"guardian_name\":\"Нагрузова Сауле\",\
         \"consent_by\":\"parent\",\"consent_method\":\"written\",\"consent_date\":\"01.08.2026\",\
         \"source\":\"school_list\",\"needs\":[{{\"item\":\"backpack\",\"cost\":\"8000\"}}]}}"
    );
    let code = format!(
        r#"local threads = 0
function setup(thread) thread:set("tid", threads); threads = threads + 1 end
local n = {start}
local function check(s)
  local w1 = {{1,2,3,4,5,6,7,8,9,10,11}}
  local w2 = {{3,4,5,6,7,8,9,10,11,1,2}}
  local a, b = 0, 0
  for i = 1, 11 do
    local d = tonumber(s:sub(i, i))
    a = a + d * w1[i]
    b = b + d * w2[i]
  end
  a = a % 11
  if a ~= 10 then return a end
  b = b % 11
  if b ~= 10 then return b end
  return nil
end
request = function()
  while true do
    n = n + 1
    local d = n % 336
    local year = 12 + math.floor(n / 336) % 5
    local serial = 5000 + tid * 2000 + math.floor(n / 1680)
    local head = string.format("%02d%02d%02d6%04d", year, math.floor(d / 28) + 1, d % 28 + 1, serial)
    local c = check(head)
    if c then
      return wrk.format("POST", "/api/v1/children", nil, string.format([[{body}]], head .. c))
    end
  end
end"#
    );
    lua(token, "POST", None, &format!("wrk.headers[\"Content-Type\"] = \"application/json\"\n{code}"))
}
