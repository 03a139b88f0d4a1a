//! Employers and their partnerships (most active, vetted; some prospects, paused or
//! ended, each with the history of steps that led there), their recruiters, and their
//! micro-internship postings in every status a posting can be in.
//!
//! A few employers post most projects (a skewed choice by rank). Only an active partner
//! has postings open, waiting for review or in draft; a paused or ended partner keeps its
//! closed and cancelled ones, as pausing closes a partner's open postings.

use chrono::{Duration, NaiveDate};
use diesel::Connection;
use rand::rngs::StdRng;
use rand::Rng;

use super::people::CHUNK;
use super::plan::Skew;
use super::words::{self, pick};
use super::{stream, uuid, Calendar, Report, World, BENCH_PASSWORD};
use crate::auth::recruiters::{self as recruiter_store, hash_password, NewRecruiter};
use crate::auth::roles::{self, NewUserRole, RoleSource};
use crate::auth::users::{self, NewUser};
use crate::core::{EmployerId, Error, OpportunityId, PartnershipId, RecruiterId, Role, UserId};
use crate::db::DbConnection;
use crate::opportunities::postings::{self, NewPosting};
use crate::opportunities::rules::{Category, PostingStatus};
use crate::partners::rules::{EmployerSize, PartnershipStatus, Tier};
use crate::partners::store::employers::{self as employer_store, NewEmployer};
use crate::partners::store::partnerships::{self as partnership_store, NewPartnership, NewPartnershipEvent};
use crate::partners::store::vetting::{self, NewVetting};

/// A posting as later groups need it (its row is written once its openings are known).
#[derive(Debug, Clone)]
pub(crate) struct PostingFacts {
    pub id: OpportunityId,
    pub employer: usize,
    pub status: PostingStatus,
    pub opened_on: NaiveDate,
    pub apply_by: NaiveDate,
    pub due_by: NaiveDate,
    pub hours: i32,
    pub fee_cents: i64,
    /// The one college whose students it is for (index into `words::COLLEGES`), if any.
    pub college: Option<usize>,
}

impl PostingFacts {
    /// Whether students applied to it: open or closed (a draft, a posting waiting for
    /// review or a cancelled one has no applicants).
    pub fn takes_applications(&self) -> bool {
        matches!(self.status, PostingStatus::Open | PostingStatus::Closed)
    }
}

#[derive(Debug, Default)]
pub(crate) struct Catalogue {
    pub employers: Vec<EmployerId>,
    pub employer_names: Vec<String>,
    pub status: Vec<PartnershipStatus>,
    /// Each recruiter and the index of their employer.
    pub recruiters: Vec<(RecruiterId, usize)>,
    /// The first recruiter of each employer (who hosts its fair sessions).
    pub host_of: Vec<Option<usize>>,
    pub bench_recruiter_email: String,
    pub postings: Vec<PostingFacts>,
}

fn partnership_status(rng: &mut StdRng, i: usize) -> PartnershipStatus {
    if i == 0 {
        return PartnershipStatus::Active;
    }
    match rng.random_range(0..100) {
        0..70 => PartnershipStatus::Active,
        70..82 => PartnershipStatus::Prospect,
        82..90 => PartnershipStatus::Paused,
        _ => PartnershipStatus::Ended,
    }
}

/// The steps from nothing to `status`: prospect first, then active, then paused or ended.
fn steps(status: PartnershipStatus) -> &'static [PartnershipStatus] {
    use PartnershipStatus::*;
    match status {
        Prospect => &[Prospect],
        Active => &[Prospect, Active],
        Paused => &[Prospect, Active, Paused],
        Ended => &[Prospect, Active, Ended],
    }
}

/// Employers, partnerships with their histories, vettings of every partner that was
/// ever active, and recruiters (one for each such partner, the rest where the postings
/// are). The benchmark's recruiter (of the first employer) alone gets a password.
pub(crate) fn write_partners(
    conn: &mut DbConnection,
    cal: &Calendar<'_>,
    world: &World,
    seed: u64,
    report: &mut Report,
) -> Result<Catalogue, Error> {
    let mut rng = stream(seed, 3);
    let counts = &world.counts;
    let mut cat = Catalogue::default();
    let (mut employers, mut partnerships, mut events, mut vettings) = (vec![], vec![], vec![], vec![]);
    let counselor =
        |rng: &mut StdRng| world.people.counselors[rng.random_range(0..world.people.counselors.len())].clone();
    for i in 0..counts.employers {
        let name = words::employer_name(i);
        let id = EmployerId::from(uuid(&mut rng));
        let status = partnership_status(&mut rng, i);
        let joined = cal.days_ago(rng.random_range(200..1_500));
        let domain = words::domain_of(&name);
        employers.push(NewEmployer {
            id: id.clone(),
            name: name.clone(),
            industry: pick(&mut rng, words::INDUSTRIES).to_owned(),
            website: Some(format!("https://www.{domain}")),
            email_domain: Some(domain),
            size: Some(
                [EmployerSize::UpTo50, EmployerSize::UpTo200, EmployerSize::UpTo1000, EmployerSize::Over5000]
                    [rng.random_range(0..4)],
            ),
            location: pick(&mut rng, words::CITIES).to_owned(),
            description: format!("{name} works with students on short, paid projects."),
            created_at: cal.at(joined, 10 * 60),
            updated_at: cal.at(joined, 10 * 60),
        });
        let pid = PartnershipId::from(uuid(&mut rng));
        let owner = counselor(&mut rng);
        let path = steps(status);
        let mut day = joined;
        let mut from = None;
        let mut starts_on = None;
        let mut ends_on = None;
        for (step, &to) in path.iter().enumerate() {
            // A minute apart at least, so the history's order is its time's.
            let at = cal.at(day, 11 * 60 + step as u32);
            if to == PartnershipStatus::Active {
                starts_on = Some(day);
            }
            if to == PartnershipStatus::Ended {
                ends_on = Some(day);
            }
            events.push(NewPartnershipEvent {
                id: uuid(&mut rng),
                partnership_id: pid.clone(),
                from_status: from,
                to_status: to,
                actor_id: Some(owner.clone()),
                note: String::new(),
                at,
                created_at: at,
                updated_at: at,
            });
            from = Some(to);
            day = (day + Duration::days(rng.random_range(7..120))).min(cal.days_ago(1));
        }
        if path.contains(&PartnershipStatus::Active) {
            let vetted = starts_on.unwrap_or(joined);
            vettings.push(NewVetting {
                id: uuid(&mut rng),
                employer_id: id.clone(),
                domain_verified: true,
                website_verified: true,
                contact_verified: rng.random_bool(0.9),
                note: String::new(),
                vetted_by: Some(owner.clone()),
                vetted_at: cal.at(vetted, 10 * 60),
                created_at: cal.at(vetted, 10 * 60),
                updated_at: cal.at(vetted, 10 * 60),
            });
        }
        let tier = [Tier::Strategic, Tier::Gold, Tier::Silver, Tier::Standard, Tier::Standard][rng.random_range(0..5)];
        partnerships.push(NewPartnership {
            id: pid,
            employer_id: id.clone(),
            tier,
            status,
            starts_on,
            ends_on,
            owner_id: Some(owner),
            notes: String::new(),
            created_at: cal.at(joined, 11 * 60),
            updated_at: cal.at(day.min(cal.today), 11 * 60),
        });
        cat.employers.push(id);
        cat.employer_names.push(name);
        cat.status.push(status);
    }

    // Recruiters: one for every partner that was ever active, the rest where the work is.
    let partners: Vec<usize> =
        (0..counts.employers).filter(|&e| cat.status[e] != PartnershipStatus::Prospect).collect();
    let skew = Skew::new(partners.len(), 2.0, 1.0);
    cat.host_of = vec![None; counts.employers];
    let (mut accounts, mut held, mut records) = (vec![], vec![], vec![]);
    let bench_hash = hash_password(BENCH_PASSWORD).map_err(Error::Internal)?;
    for r in 0..counts.recruiters.max(partners.len()) {
        let employer = if r < partners.len() { partners[r] } else { partners[skew.sample(&mut rng)] };
        let (first, last) = (pick(&mut rng, words::FIRST_NAMES), pick(&mut rng, words::LAST_NAMES));
        let domain = employers[employer].email_domain.clone().unwrap_or_default();
        let address = format!("{first}.{last}.{r}@{domain}").to_ascii_lowercase();
        let user_id = UserId::from(uuid(&mut rng));
        let id = RecruiterId::from(uuid(&mut rng));
        let joined = employers[employer].created_at;
        let bench = r == 0;
        if bench {
            cat.bench_recruiter_email = address.clone();
        }
        accounts.push(NewUser {
            id: user_id.clone(),
            issuer: None,
            subject: None,
            email: address,
            display_name: format!("{first} {last}"),
            disabled: false,
            password_hash: bench.then(|| bench_hash.clone()),
            calendar_token_hash: None,
            last_login_at: None,
            created_at: joined,
            updated_at: joined,
        });
        held.push(NewUserRole {
            id: uuid(&mut rng),
            user_id: user_id.clone(),
            role: Role::Recruiter,
            source: RoleSource::Grant,
            granted_by: None,
            created_at: joined,
            updated_at: joined,
        });
        records.push(NewRecruiter {
            id: id.clone(),
            user_id,
            employer_id: cat.employers[employer].clone(),
            title: "Recruiter".to_owned(),
            created_at: joined,
            updated_at: joined,
        });
        cat.host_of[employer].get_or_insert(cat.recruiters.len());
        cat.recruiters.push((id, employer));
    }
    conn.transaction::<_, Error, _>(|c| {
        report.tables.push(("employers", employer_store::insert_many(c, &employers)?));
        report.tables.push(("partnerships", partnership_store::insert_many(c, &partnerships)?));
        report.tables.push(("partnership_events", partnership_store::insert_events(c, &events)?));
        report.tables.push(("employer_vettings", vetting::insert_many(c, &vettings)?));
        report.tables.push(("users (recruiters)", users::insert_many(c, &accounts)?));
        report.tables.push(("user_roles (recruiters)", roles::insert_many(c, &held)?));
        report.tables.push(("recruiters", recruiter_store::insert_many(c, &records)?));
        Ok(())
    })?;
    plan_postings(&mut cat, cal, &mut rng, counts.postings);
    Ok(cat)
}

fn posting_status(rng: &mut StdRng, i: usize) -> PostingStatus {
    if i == 0 {
        return PostingStatus::Open;
    }
    match rng.random_range(0..100) {
        0..30 => PostingStatus::Open,
        30..85 => PostingStatus::Closed,
        85..88 => PostingStatus::Cancelled,
        88..93 => PostingStatus::Draft,
        _ => PostingStatus::PendingReview,
    }
}

/// Each posting's status, employer and dates: open ones take applications until a day
/// ahead, closed ones closed on their apply-by day in the last two years.
fn plan_postings(cat: &mut Catalogue, cal: &Calendar<'_>, rng: &mut StdRng, postings: usize) {
    let posters: Vec<usize> =
        (0..cat.employers.len()).filter(|&e| cat.status[e] != PartnershipStatus::Prospect).collect();
    let skew = Skew::new(posters.len(), 3.0, 1.1);
    for i in 0..postings {
        let status = posting_status(rng, i);
        let needs_active = !matches!(status, PostingStatus::Closed | PostingStatus::Cancelled);
        let employer = if i == 0 {
            0
        } else {
            loop {
                let e = posters[skew.sample(rng)];
                if !needs_active || cat.status[e] == PartnershipStatus::Active {
                    break e;
                }
            }
        };
        let (opened_on, apply_by) = match status {
            PostingStatus::Open => (cal.days_ago(rng.random_range(1..45)), cal.days_ahead(rng.random_range(1..40))),
            PostingStatus::Closed | PostingStatus::Cancelled => {
                let apply_by = cal.days_ago(rng.random_range(1..720));
                (apply_by - Duration::days(rng.random_range(14..45)), apply_by)
            }
            _ => (cal.today, cal.days_ahead(rng.random_range(14..60))),
        };
        let hours: i64 = rng.random_range(5..=40);
        // A fifth of projects are for one college's students only; the rest for all.
        let college = (i != 0 && rng.random_bool(0.2)).then(|| rng.random_range(0..words::COLLEGES.len()));
        cat.postings.push(PostingFacts {
            id: OpportunityId::from(uuid(rng)),
            employer,
            status,
            opened_on,
            apply_by,
            due_by: apply_by + Duration::days(rng.random_range(7..40)),
            hours: hours as i32,
            fee_cents: hours * rng.random_range(18..=40) * 100,
            college,
        });
    }
}

/// Writes the postings, now that their openings are known (`openings[p]`, from the
/// applicants the employer selected), with their tags.
pub(crate) fn write_postings(
    conn: &mut DbConnection,
    cal: &Calendar<'_>,
    world: &World,
    openings: &[i32],
    seed: u64,
    report: &mut Report,
) -> Result<(), Error> {
    let mut rng = stream(seed, 4);
    let cat = &world.catalogue;
    let categories = [
        Category::Research,
        Category::Data,
        Category::Content,
        Category::Sales,
        Category::Hr,
        Category::Software,
        Category::Design,
        Category::Operations,
    ];
    let mut written = 0;
    conn.transaction::<_, Error, _>(|c| {
        let mut rows: Vec<NewPosting> = Vec::with_capacity(CHUNK);
        for (p, facts) in cat.postings.iter().enumerate() {
            let name = &cat.employer_names[facts.employer];
            let remote = rng.random_bool(0.7);
            let created = match facts.status {
                PostingStatus::Draft | PostingStatus::PendingReview => cal.days_ago(rng.random_range(1..10)),
                _ => facts.opened_on - Duration::days(rng.random_range(1..7)),
            };
            let submitted_at = (facts.status != PostingStatus::Draft).then(|| cal.during(&mut rng, created));
            let opened_at =
                matches!(facts.status, PostingStatus::Open | PostingStatus::Closed | PostingStatus::Cancelled)
                    .then(|| cal.during(&mut rng, facts.opened_on));
            let closed_at = match facts.status {
                PostingStatus::Closed => Some(cal.at(facts.apply_by + Duration::days(1), 6 * 60)),
                _ => None,
            };
            let last = closed_at.or(opened_at).or(submitted_at).unwrap_or_else(|| cal.during(&mut rng, created));
            rows.push(NewPosting {
                id: facts.id.clone(),
                employer_id: cat.employers[facts.employer].clone(),
                title: words::project_title(&mut rng, name),
                description: format!(
                    "A short, paid project with {name}: scope, deliverable and check-ins are agreed in the first week."
                ),
                category: categories[rng.random_range(0..categories.len())],
                skills: words::skills(&mut rng),
                hours: facts.hours,
                fee_cents: facts.fee_cents,
                currency: "USD".to_owned(),
                remote,
                location: (!remote).then(|| pick(&mut rng, words::CITIES).to_owned()),
                apply_by: facts.apply_by,
                due_by: facts.due_by,
                openings: openings[p],
                eligible_colleges: facts.college.map(|c| words::COLLEGES[c].0.to_owned()).unwrap_or_default(),
                eligible_majors: String::new(),
                eligible_class_years: String::new(),
                status: facts.status,
                review_note: None,
                created_by: None,
                submitted_at,
                opened_at,
                closed_at,
                created_at: cal.during(&mut rng, created).min(submitted_at.unwrap_or(cal.now)),
                updated_at: last,
            });
            if rows.len() == CHUNK {
                written += postings::insert_many(c, &rows)?;
                rows.clear();
            }
        }
        written += postings::insert_many(c, &rows)?;
        Ok(())
    })?;
    report.tables.push(("opportunities", written));
    Ok(())
}
