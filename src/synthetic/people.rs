//! The office's people: administrators, career counselors, faculty (accounts, roles and
//! faculty records) and the roster of students in class cohorts with their majors.
//! Campus people sign in through SSO, which adopts these records by email, so none has a
//! password; students get their account at their first sign-in, as on a real campus.

use diesel::Connection;
use rand::Rng;

use super::plan::{self, Counts};
use super::words::{self, pick};
use super::{stream, uuid, Calendar, Report, World};
use crate::auth::roles::{self, NewUserRole, RoleSource};
use crate::auth::users::{self, NewFaculty, NewUser};
use crate::core::{Email, Error, FacultyId, Role, StudentId, UserId};
use crate::db::DbConnection;
use crate::students::rules::ProfileVisibility;
use crate::students::store::{self as students, NewStudent, RosterFields};

/// Rows generated and written at a time.
pub(crate) const CHUNK: usize = 10_000;

/// The people later groups refer to.
#[derive(Debug, Default)]
pub(crate) struct People {
    pub faculty: Vec<FacultyId>,
    pub counselors: Vec<UserId>,
    pub counselor_emails: Vec<String>,
    pub admin_emails: Vec<String>,
    pub students: Vec<StudentId>,
    pub student_emails: Vec<String>,
    /// Each student's college (index into `words::COLLEGES`), for eligibility.
    pub student_college: Vec<usize>,
    /// Each student's graduation term (year, month).
    pub student_term: Vec<(i32, u32)>,
}

pub(crate) fn email(raw: String) -> Result<Email, Error> {
    Email::parse(&raw).map_err(|e| Error::Internal(format!("synthetic email: {e}")))
}

fn person<R: Rng + ?Sized>(rng: &mut R) -> (&'static str, &'static str) {
    (pick(rng, words::FIRST_NAMES), pick(rng, words::LAST_NAMES))
}

/// Administrators, counselors and faculty, each an account with its role (granted, as
/// the office grants them), and faculty records.
pub(crate) fn write(
    conn: &mut DbConnection,
    cal: &Calendar<'_>,
    counts: &Counts,
    seed: u64,
    report: &mut Report,
) -> Result<People, Error> {
    let mut rng = stream(seed, 1);
    let mut people = People::default();
    let mut accounts: Vec<NewUser> = Vec::new();
    let mut held: Vec<NewUserRole> = Vec::new();
    let mut faculty: Vec<NewFaculty> = Vec::new();
    let joined = cal.at(cal.days_ago(4 * 365), 9 * 60);
    let mut add = |rng: &mut rand::rngs::StdRng, role: Role, i: usize| -> Result<(UserId, String), Error> {
        let (first, last) = person(rng);
        let address = format!("{}.{}.{}{i}@staff.example.edu", first, last, role.as_str()).to_ascii_lowercase();
        let id = UserId::from(uuid(rng));
        accounts.push(NewUser {
            id: id.clone(),
            issuer: None,
            subject: None,
            email: address.clone(),
            display_name: format!("{first} {last}"),
            disabled: false,
            password_hash: None,
            calendar_token_hash: None,
            last_login_at: None,
            created_at: joined,
            updated_at: joined,
        });
        held.push(NewUserRole {
            id: uuid(rng),
            user_id: id.clone(),
            role,
            source: RoleSource::Grant,
            granted_by: None,
            created_at: joined,
            updated_at: joined,
        });
        Ok((id, address))
    };
    for i in 0..counts.admins {
        people.admin_emails.push(add(&mut rng, Role::Admin, i)?.1);
    }
    for i in 0..counts.counselors {
        let (id, address) = add(&mut rng, Role::Counselor, i)?;
        people.counselors.push(id);
        people.counselor_emails.push(address);
    }
    for i in 0..counts.faculty {
        let (user_id, _) = add(&mut rng, Role::Faculty, i)?;
        let id = FacultyId::from(uuid(&mut rng));
        faculty.push(NewFaculty {
            id: id.clone(),
            user_id,
            department: pick(&mut rng, words::DEPARTMENTS).to_owned(),
            title: pick(&mut rng, words::FACULTY_TITLES).to_owned(),
            created_at: joined,
            updated_at: joined,
        });
        people.faculty.push(id);
    }
    conn.transaction::<_, Error, _>(|c| {
        report.tables.push(("users (staff, faculty)", users::insert_many(c, &accounts)?));
        report.tables.push(("user_roles", roles::insert_many(c, &held)?));
        report.tables.push(("faculty", users::insert_faculty(c, &faculty)?));
        Ok(())
    })?;
    Ok(people)
}

/// The roster: every cohort's students, with a college and major, a graduation term, and
/// for some a headline and skills of their own.
pub(crate) fn write_students(
    conn: &mut DbConnection,
    cal: &Calendar<'_>,
    world: &mut World,
    seed: u64,
    report: &mut Report,
) -> Result<(), Error> {
    let mut rng = stream(seed, 2);
    let cohorts = world.cohorts.clone();
    let mut written = 0;
    let people = &mut world.people;
    let (ids, emails, colleges) = (&mut people.students, &mut people.student_emails, &mut people.student_college);
    let terms = &mut people.student_term;
    conn.transaction::<_, Error, _>(|c| {
        let mut rows: Vec<NewStudent> = Vec::with_capacity(CHUNK);
        for cohort in &cohorts {
            // A class enters the roster in its first autumn (four years before its year).
            let entered = plan::graduation_term(cohort.class_year - 4, false);
            let entered_on = chrono::NaiveDate::parse_from_str(&format!("{entered}-01"), "%Y-%m-%d")
                .map(|d| d + chrono::Duration::days(100))
                .unwrap_or(cal.today)
                .min(cal.days_ago(1));
            let at = cal.at(entered_on, 9 * 60);
            for i in cohort.range() {
                let (first, last) = person(&mut rng);
                let address = format!("{first}.{last}.{i}@students.example.edu").to_ascii_lowercase();
                let college_index = rng.random_range(0..words::COLLEGES.len());
                let (college, majors) = words::COLLEGES[college_index];
                colleges.push(college_index);
                let own = rng.random_bool(0.4);
                let december = rng.random_bool(0.15);
                terms.push(if december {
                    (cohort.class_year - 1, 12)
                } else {
                    (cohort.class_year, plan::SPRING_MONTH)
                });
                let id = StudentId::from(uuid(&mut rng));
                rows.push(NewStudent {
                    id: id.clone(),
                    user_id: None,
                    roster: RosterFields {
                        student_number: format!("S{:08}", i + 1),
                        email: email(address.clone())?,
                        name: format!("{first} {last}"),
                        college: college.to_owned(),
                        major: pick(&mut rng, majors).to_owned(),
                        class_year: cohort.class_year,
                        graduation_term: plan::graduation_term(cohort.class_year, december),
                    },
                    profile_visibility: if rng.random_bool(0.6) {
                        ProfileVisibility::Employers
                    } else {
                        ProfileVisibility::Private
                    },
                    headline: if own { format!("{} student looking for project work", college) } else { String::new() },
                    skills: if own { words::skills(&mut rng) } else { String::new() },
                    portfolio_url: None,
                    created_at: at,
                    updated_at: at,
                });
                ids.push(id);
                emails.push(address);
                if rows.len() == CHUNK {
                    written += students::insert_many(c, &rows)?;
                    rows.clear();
                }
            }
        }
        written += students::insert_many(c, &rows)?;
        Ok(())
    })?;
    report.tables.push(("students", written));
    Ok(())
}
