//! Where a request comes from. Directly, the peer of the connection; behind a reverse
//! proxy the peer is the proxy, and the client is what the proxy reports in
//! `Forwarded: for=` (RFC 7239) or `X-Forwarded-For`. Those headers are believed only
//! from the proxies listed in `WAYPOINT_TRUSTED_PROXIES`: anyone else could write any
//! address there, to slip past the sign-in limits or to blame someone else in the audit
//! log. This is the one place that decides; the throttle, the audit log and the viewer
//! all ask here.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use actix_web::http::header::{HeaderName, FORWARDED};
use actix_web::{web, HttpRequest};

use crate::config::TrustedProxies;

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");

/// The client's address: the right-most address of the forwarding chain that is not a
/// trusted proxy. `None` only when the connection has no peer address (tests).
pub fn client_address(req: &HttpRequest, trusted: &TrustedProxies) -> Option<IpAddr> {
    let peer = req.peer_addr()?.ip();
    let joined = |name: &HeaderName| -> Option<String> {
        let lines: Vec<&str> = req.headers().get_all(name).map(|v| v.to_str().unwrap_or("\u{0}")).collect();
        // Several header lines are one list, in order (RFC 9110 §5.3).
        (!lines.is_empty()).then(|| lines.join(","))
    };
    Some(resolve(peer, joined(&FORWARDED).as_deref(), joined(&X_FORWARDED_FOR).as_deref(), trusted))
}

/// [`client_address`] with the application's trusted proxies, as text for the audit log
/// and the sign-in limits.
pub fn client_ip(req: &HttpRequest) -> Option<String> {
    let none = TrustedProxies::default();
    let trusted = req.app_data::<web::Data<TrustedProxies>>().map(|t| t.get_ref()).unwrap_or(&none);
    client_address(req, trusted).map(|ip| ip.to_string())
}

/// The rule, without HTTP: from an untrusted peer the headers are ignored. From a
/// trusted one, the chain is walked from the right past trusted proxies. When both
/// headers are present and name different clients, neither can be told from a client's
/// forgery passed through by a proxy that writes only the other one: the peer is taken.
fn resolve(peer: IpAddr, forwarded: Option<&str>, x_forwarded_for: Option<&str>, trusted: &TrustedProxies) -> IpAddr {
    let peer = peer.to_canonical();
    if !trusted.trusts(peer) {
        return peer;
    }
    let by_forwarded = forwarded.map(|h| walk(peer, forwarded_for(h), trusted));
    let by_x_forwarded_for = x_forwarded_for.map(|h| walk(peer, h.split(',').map(node).collect(), trusted));
    match (by_forwarded, by_x_forwarded_for) {
        (Some(a), Some(b)) if a != b => peer,
        (Some(a), _) | (None, Some(a)) => a,
        (None, None) => peer,
    }
}

/// From the right: each hop that is a trusted proxy tells us who came before it. The
/// first address that is not trusted is the client; an unreadable entry (garbage,
/// `unknown`, an obfuscated name) stops the walk at the nearest trusted hop.
fn walk(peer: IpAddr, hops: Vec<Option<IpAddr>>, trusted: &TrustedProxies) -> IpAddr {
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        let Some(ip) = hop else { break };
        client = ip;
        if !trusted.trusts(ip) {
            break;
        }
    }
    client
}

/// The `for=` node of each element of a `Forwarded` header, in order (`None` where an
/// element has none or it cannot be read).
fn forwarded_for(header: &str) -> Vec<Option<IpAddr>> {
    split_unquoted(header, ',')
        .into_iter()
        .map(|element| {
            split_unquoted(element, ';').into_iter().find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim().eq_ignore_ascii_case("for").then(|| node(&unquote(value.trim())))
            })?
        })
        .collect()
}

/// Splits at `sep` outside quoted strings.
fn split_unquoted(s: &str, sep: char) -> Vec<&str> {
    let (mut parts, mut start, mut quoted, mut escaped) = (Vec::new(), 0, false, false);
    for (i, c) in s.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == sep && !quoted => {
                parts.push(&s[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&s[start..]);
    parts
}

fn unquote(value: &str) -> String {
    match value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) {
        Some(inner) => {
            let mut out = String::with_capacity(inner.len());
            let mut chars = inner.chars();
            while let Some(c) = chars.next() {
                out.push(if c == '\\' { chars.next().unwrap_or('\\') } else { c });
            }
            out
        }
        None => value.to_owned(),
    }
}

/// One node: `192.0.2.7`, `192.0.2.7:4711`, `2001:db8::7`, `[2001:db8::7]`,
/// `[2001:db8::7]:4711` (a port may also be an obfuscated `_name`).
fn node(raw: &str) -> Option<IpAddr> {
    let s = raw.trim();
    let port_ok = |p: &str| p.parse::<u16>().is_ok() || (p.starts_with('_') && p.len() > 1);
    let ip = if let Some(rest) = s.strip_prefix('[') {
        let (inside, after) = rest.split_once(']')?;
        if !(after.is_empty() || after.strip_prefix(':').is_some_and(port_ok)) {
            return None;
        }
        IpAddr::V6(inside.parse::<Ipv6Addr>().ok()?)
    } else if let Ok(ip) = s.parse::<IpAddr>() {
        ip
    } else {
        // Only IPv4 may carry a port without brackets.
        let (host, port) = s.rsplit_once(':')?;
        if !port_ok(port) {
            return None;
        }
        IpAddr::V4(host.parse::<Ipv4Addr>().ok()?)
    };
    Some(ip.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn proxies(s: &str) -> TrustedProxies {
        TrustedProxies::parse(s).unwrap()
    }

    fn from(peer: &str, forwarded: Option<&str>, xff: Option<&str>, trusted: &str) -> String {
        resolve(ip(peer), forwarded, xff, &proxies(trusted)).to_string()
    }

    #[test]
    fn headers_from_untrusted_peers_are_ignored() {
        assert_eq!(from("203.0.113.9", None, Some("198.51.100.1"), ""), "203.0.113.9", "no proxies configured");
        assert_eq!(from("203.0.113.9", Some("for=198.51.100.1"), None, "10.0.0.0/8"), "203.0.113.9");
        assert_eq!(
            from("203.0.113.9", None, Some("10.0.0.5"), "10.0.0.0/8"),
            "203.0.113.9",
            "not even a trusted-looking one"
        );
    }

    #[test]
    fn the_client_is_the_right_most_untrusted_address() {
        let t = "10.0.0.0/8, 127.0.0.1";
        assert_eq!(from("127.0.0.1", None, Some("198.51.100.1"), t), "198.51.100.1");
        // A client's own forgery is on the left of what our proxies appended.
        assert_eq!(from("127.0.0.1", None, Some("1.2.3.4, 198.51.100.1"), t), "198.51.100.1");
        assert_eq!(from("127.0.0.1", None, Some("1.2.3.4, 198.51.100.1, 10.0.0.7"), t), "198.51.100.1", "two proxies");
        assert_eq!(
            from("127.0.0.1", None, Some("10.9.9.9, 10.0.0.7"), t),
            "10.9.9.9",
            "an internal client: the left-most"
        );
        assert_eq!(
            from("127.0.0.1", Some("for=1.2.3.4;proto=https, for=198.51.100.1;by=10.0.0.1"), None, t),
            "198.51.100.1"
        );
        assert_eq!(from("127.0.0.1", Some("For=\"198.51.100.1:4711\""), None, t), "198.51.100.1", "names ignore case");
    }

    #[test]
    fn ipv6_and_ports() {
        let t = "::1, fd00::/8";
        assert_eq!(from("::1", Some("for=\"[2001:db8:cafe::17]:4711\""), None, t), "2001:db8:cafe::17");
        assert_eq!(from("::1", Some("for=\"[2001:db8:cafe::17]\""), None, t), "2001:db8:cafe::17");
        assert_eq!(from("::1", None, Some("2001:db8::1"), t), "2001:db8::1");
        assert_eq!(from("::1", None, Some("[2001:db8::1]:443, fd00::2"), t), "2001:db8::1");
        assert_eq!(from("::1", None, Some("198.51.100.1:50123"), t), "198.51.100.1");
        // An IPv4 client seen through a dual-stack socket is shown as IPv4.
        assert_eq!(from("::ffff:127.0.0.1", None, Some("::ffff:198.51.100.1"), "127.0.0.1"), "198.51.100.1");
        assert_eq!(from("::ffff:203.0.113.9", None, None, ""), "203.0.113.9");
    }

    #[test]
    fn garbage_stops_at_the_nearest_trusted_hop() {
        let t = "127.0.0.1, 10.0.0.0/8";
        for bad in [
            "",
            "not-an-address",
            "unknown",
            "_hidden",
            "1.2.3.4:99999",
            "[2001:db8::1",
            "2001:db8::1:80x",
            "999.1.1.1",
        ] {
            assert_eq!(from("127.0.0.1", None, Some(bad), t), "127.0.0.1", "{bad:?}");
        }
        assert_eq!(from("127.0.0.1", None, Some("198.51.100.1, garbage, 10.0.0.7"), t), "10.0.0.7");
        assert_eq!(from("127.0.0.1", Some("for=unknown"), None, t), "127.0.0.1");
        assert_eq!(from("127.0.0.1", Some("proto=https"), None, t), "127.0.0.1", "an element without for=");
        assert_eq!(from("127.0.0.1", Some("for=\"_gazonk\""), None, t), "127.0.0.1");
        assert_eq!(from("127.0.0.1", Some("for=\"198.51.100.1;x\", for=\"a,b\""), None, t), "127.0.0.1");
    }

    #[test]
    fn both_headers_must_agree() {
        let t = "127.0.0.1";
        assert_eq!(from("127.0.0.1", Some("for=198.51.100.1"), Some("198.51.100.1"), t), "198.51.100.1");
        assert_eq!(from("127.0.0.1", Some("for=1.2.3.4"), Some("198.51.100.1"), t), "127.0.0.1");
    }

    #[test]
    fn several_header_lines_are_one_list() {
        let trusted = proxies("127.0.0.1");
        let req = actix_web::test::TestRequest::default()
            .peer_addr("127.0.0.1:50000".parse().unwrap())
            .append_header(("X-Forwarded-For", "1.2.3.4"))
            .append_header(("X-Forwarded-For", "198.51.100.1"))
            .to_http_request();
        assert_eq!(client_address(&req, &trusted), Some(ip("198.51.100.1")));
        let direct = actix_web::test::TestRequest::default()
            .peer_addr("203.0.113.9:50000".parse().unwrap())
            .append_header(("X-Forwarded-For", "198.51.100.1"))
            .to_http_request();
        assert_eq!(client_address(&direct, &trusted), Some(ip("203.0.113.9")));
    }
}
