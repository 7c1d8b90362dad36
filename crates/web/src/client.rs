//! The client's address, for throttling: the peer's, or, behind a proxy we trust (the load
//! balancer), the address the proxy forwarded. An IPv6 client is keyed by its /64, the block one
//! subscriber gets, so that rotating addresses inside it does not dodge a limit.

use std::convert::Infallible;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRef, FromRequestParts};
use axum::http::HeaderMap;
use axum::http::request::Parts;

use crate::AppState;

/// The client's address as a throttling key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddr(pub String);

impl<S> FromRequestParts<S> for ClientAddr
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        let app = AppState::from_ref(state);
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientAddr(client_addr(peer, &parts.headers, &app.config.trusted_proxies)))
    }
}

/// The peer, or, if the peer is a trusted proxy, the rightmost forwarded address that is not
/// one (the one our own proxy saw: what a client writes into the header itself is to its left).
fn client_addr(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpAddr]) -> String {
    let Some(peer) = peer else { return "unknown".to_owned() };
    if !trusted.contains(&peer) {
        return key(peer);
    }
    let forwarded: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    key(forwarded.into_iter().rev().find(|ip| !trusted.contains(ip)).unwrap_or(peer))
}

fn key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{}/64", Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(xff: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in xff {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn a_forwarded_address_counts_only_from_a_trusted_proxy() {
        let proxy: IpAddr = "10.0.0.2".parse().unwrap();
        let spoofed = headers(&["6.6.6.6"]);
        assert_eq!(client_addr(Some("203.0.113.9".parse().unwrap()), &spoofed, &[proxy]), "203.0.113.9");
        // Behind the proxy: what the client wrote is left of what the proxy appended.
        let through = headers(&["6.6.6.6, 198.51.100.4"]);
        assert_eq!(client_addr(Some(proxy), &through, &[proxy]), "198.51.100.4");
        let split = headers(&["garbage", "198.51.100.5"]);
        assert_eq!(client_addr(Some(proxy), &split, &[proxy]), "198.51.100.5");
        assert_eq!(client_addr(Some(proxy), &HeaderMap::new(), &[proxy]), "10.0.0.2");
        assert_eq!(client_addr(None, &through, &[proxy]), "unknown");
    }

    #[test]
    fn an_ipv6_client_is_keyed_by_its_slash_64() {
        let a = client_addr(Some("2001:db8:1:2:aaaa::1".parse().unwrap()), &HeaderMap::new(), &[]);
        let b = client_addr(Some("2001:db8:1:2:bbbb::9".parse().unwrap()), &HeaderMap::new(), &[]);
        assert_eq!(a, "2001:db8:1:2::/64");
        assert_eq!(a, b);
        assert_eq!(client_addr(Some("::ffff:192.0.2.1".parse().unwrap()), &HeaderMap::new(), &[]), "192.0.2.1");
    }
}
