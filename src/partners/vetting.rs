//! What a vetted employer domain may not be: a free mail service anyone can sign up to
//! (gmail.com) or a disposable, throwaway one (mailinator.com). Recruiters are vetted by
//! their address being at the employer's domain, so such a domain would let anyone in.
//!
//! Disposable domains come from the `mailchecker` crate (a maintained list of thousands
//! of throwaway providers, with their subdomains). Free mail services are few and large:
//! they are listed here, with the country variants of the big providers.

/// Why `domain` cannot be an employer's vetted domain, or `None` when it can.
pub fn refused_domain(domain: &str) -> Option<String> {
    let d = domain.trim().trim_start_matches('@').to_ascii_lowercase();
    if d.is_empty() {
        return None;
    }
    if is_free_mail(&d) {
        return Some(format!("`{d}` is a free mail service anyone can sign up to: use the employer's own domain"));
    }
    if !mailchecker::is_valid(&format!("recruiter@{d}")) {
        return Some(format!("`{d}` is a disposable (throwaway) mail domain: use the employer's own domain"));
    }
    None
}

/// Free mail services (exact domains; `yahoo.*`, `hotmail.*` and the like in any country).
const FREE_MAIL: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "passport.com",
    "aol.com",
    "aim.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "proton.me",
    "protonmail.com",
    "protonmail.ch",
    "pm.me",
    "gmx.com",
    "gmx.net",
    "gmx.de",
    "mail.com",
    "email.com",
    "usa.com",
    "yandex.com",
    "yandex.ru",
    "ya.ru",
    "zoho.com",
    "zohomail.com",
    "fastmail.com",
    "fastmail.fm",
    "tutanota.com",
    "tutanota.de",
    "tuta.io",
    "tutamail.com",
    "hey.com",
    "qq.com",
    "163.com",
    "126.com",
    "yeah.net",
    "sina.com",
    "sohu.com",
    "mail.ru",
    "inbox.ru",
    "list.ru",
    "bk.ru",
    "web.de",
    "t-online.de",
    "freenet.de",
    "libero.it",
    "virgilio.it",
    "laposte.net",
    "orange.fr",
    "free.fr",
    "sfr.fr",
    "wanadoo.fr",
    "btinternet.com",
    "naver.com",
    "hanmail.net",
    "daum.net",
    "rediffmail.com",
    "comcast.net",
    "verizon.net",
    "att.net",
    "sbcglobal.net",
    "cox.net",
    "charter.net",
    "earthlink.net",
    "juno.com",
    "netzero.net",
    "hushmail.com",
    "mailfence.com",
    "posteo.de",
    "posteo.net",
    "rocketmail.com",
    "ymail.com",
    "lycos.com",
    "inbox.com",
    "seznam.cz",
    "interia.pl",
    "wp.pl",
    "o2.pl",
    "onet.pl",
    "abv.bg",
    "rambler.ru",
    "bol.com.br",
    "uol.com.br",
    "terra.com.br",
    "ig.com.br",
];

/// Providers whose free mail exists under many country domains (`yahoo.co.uk`, `hotmail.fr`).
const FREE_MAIL_BRANDS: &[&str] = &["yahoo", "hotmail", "outlook", "live", "gmail", "aol", "gmx", "yandex"];

fn is_free_mail(d: &str) -> bool {
    if FREE_MAIL.contains(&d) {
        return true;
    }
    // `yahoo.co.uk`, `hotmail.fr`: a brand followed only by a country's suffix.
    d.split_once('.').is_some_and(|(brand, rest)| {
        FREE_MAIL_BRANDS.contains(&brand)
            && rest.split('.').all(|l| l.len() <= 3 && l.chars().all(|c| c.is_ascii_alphabetic()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_and_disposable_domains_are_refused_with_the_reason() {
        for free in ["gmail.com", "GMail.com", "@outlook.com", "yahoo.co.uk", "hotmail.fr", "proton.me", "icloud.com"] {
            assert!(refused_domain(free).is_some_and(|r| r.contains("free mail")), "{free}");
        }
        for throwaway in ["mailinator.com", "yopmail.com", "guerrillamail.com", "sub.mailinator.com"] {
            assert!(refused_domain(throwaway).is_some_and(|r| r.contains("disposable")), "{throwaway}");
        }
    }

    #[test]
    fn employers_own_domains_pass_including_every_seeded_one() {
        for own in [
            "brightpath.com",
            "hr.brightpath.com",
            "ledgerwise.io",
            "harborhealth.org",
            "yahooinc.com",
            "live-nation.com",
        ] {
            assert_eq!(refused_domain(own), None, "{own}");
        }
        let mut seed = csv::Reader::from_reader(include_str!("../../seed/employers.csv").as_bytes());
        let at = seed.headers().unwrap().iter().position(|h| h == "email_domain").unwrap();
        for row in seed.records() {
            let row = row.unwrap();
            let d = &row[at];
            assert!(d.is_empty() || refused_domain(d).is_none(), "seeded {d}");
        }
    }
}
