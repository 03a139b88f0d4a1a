//! The shape of a synthetic university of N students, decided before a row is written:
//! how many of each record (in proportion to N, as the office of a 100,000-student
//! campus has them), the class cohorts, and the skewed distributions that make the data
//! look real (a few employers post most projects, a few postings get most applicants).
//! Pure: numbers and random draws, no database, so it is unit-tested here.

use chrono::{Datelike, NaiveDate};
use rand::Rng;

/// The fewest students the generator accepts: below it the promises of the benchmark's
/// handles (a student with 50 applications, a fair with 50 sessions) cannot all hold.
pub const MIN_STUDENTS: usize = 1_000;

/// Applications the benchmark's student has, exactly.
pub const BENCH_STUDENT_APPLICATIONS: usize = 50;

/// Sessions of the benchmark's fair open for registration, at least.
pub const BENCH_FAIR_SESSIONS: usize = 50;

/// Class cohorts on the roster: four that graduated (with outcomes) and four current.
pub const GRADUATED_COHORTS: usize = 4;
pub const CURRENT_COHORTS: usize = 4;

/// How many of each record, for `students` students.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub students: usize,
    pub faculty: usize,
    pub counselors: usize,
    pub admins: usize,
    pub employers: usize,
    pub recruiters: usize,
    pub postings: usize,
    pub applications: usize,
    pub engagements: usize,
    pub endorsements: usize,
    pub endorsement_requests: usize,
    pub fairs: usize,
    pub fair_sessions: usize,
    pub registrations: usize,
    pub outcomes: usize,
}

/// `per_100k` scaled to `n` students, rounded, at least one.
pub fn scaled(n: usize, per_100k: usize) -> usize {
    ((n as u64 * per_100k as u64 + 50_000) / 100_000).max(1) as usize
}

impl Counts {
    /// The counts for `students` students: for 100,000, 5,000 employers, 40,000 postings,
    /// 1,000,000 applications, 150,000 projects, 200,000 endorsements, 2,000 fair
    /// sessions, 300,000 registrations and 150,000 outcomes; the rest in sensible numbers.
    /// The benchmark's fair needs 50 sessions of its own, so there are never fewer than
    /// 60 sessions (the other fairs keep a few).
    pub fn for_students(students: usize) -> Counts {
        let n = students;
        Counts {
            students: n,
            faculty: scaled(n, 1_000),
            counselors: scaled(n, 25),
            admins: scaled(n, 3),
            employers: scaled(n, 5_000),
            recruiters: scaled(n, 8_000),
            postings: scaled(n, 40_000),
            applications: scaled(n, 1_000_000),
            engagements: scaled(n, 150_000),
            endorsements: scaled(n, 200_000),
            endorsement_requests: scaled(n, 20_000),
            fairs: scaled(n, 8).max(2),
            fair_sessions: scaled(n, 2_000).max(BENCH_FAIR_SESSIONS + 10),
            registrations: scaled(n, 300_000),
            outcomes: scaled(n, 150_000),
        }
    }
}

/// One class on the roster: students `first..first + len` (by index).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cohort {
    pub class_year: i32,
    pub graduated: bool,
    pub first: usize,
    pub len: usize,
}

impl Cohort {
    pub fn range(&self) -> std::ops::Range<usize> {
        self.first..self.first + self.len
    }
}

/// The month most of a class graduates in (May); the rest graduate in December of the
/// year before, which is still their class (July of Y−1 to June of Y is the class of Y).
pub const SPRING_MONTH: u32 = 5;

/// The latest class whose spring graduates have graduated on `today` (their May has begun).
pub fn latest_graduated_class(today: NaiveDate) -> i32 {
    if today.month() >= SPRING_MONTH {
        today.year()
    } else {
        today.year() - 1
    }
}

/// The eight cohorts of `students` students on `today`: four graduated classes, then four
/// current ones, as even as the count allows (the first classes take the remainder).
pub fn cohorts(students: usize, today: NaiveDate) -> Vec<Cohort> {
    let latest = latest_graduated_class(today);
    let total = GRADUATED_COHORTS + CURRENT_COHORTS;
    let first_year = latest - GRADUATED_COHORTS as i32 + 1;
    let mut first = 0;
    (0..total)
        .map(|i| {
            let len = students / total + usize::from(i < students % total);
            let c = Cohort { class_year: first_year + i as i32, graduated: i < GRADUATED_COHORTS, first, len };
            first += len;
            c
        })
        .collect()
}

/// A student's graduation term `YYYY-MM`: May of the class year, or December before it.
/// A current class's December term may have begun already (a December graduate of the
/// class after the latest): such a student is treated as current all the same.
pub fn graduation_term(class_year: i32, december: bool) -> String {
    if december {
        format!("{}-12", class_year - 1)
    } else {
        format!("{class_year}-{SPRING_MONTH:02}")
    }
}

/// A skewed choice among `n` ranks (Zipf–Mandelbrot: rank k has weight 1/(k+q)^s), rank 0
/// the most likely: a few employers and postings get most of the attention.
#[derive(Debug, Clone)]
pub struct Skew {
    cumulative: Vec<f64>,
}

impl Skew {
    pub fn new(n: usize, q: f64, s: f64) -> Skew {
        let mut total = 0.0;
        let cumulative = (0..n)
            .map(|k| {
                total += 1.0 / (k as f64 + q).powf(s);
                total
            })
            .collect();
        Skew { cumulative }
    }

    pub fn len(&self) -> usize {
        self.cumulative.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cumulative.is_empty()
    }

    /// The share of all draws that rank `k` gets.
    pub fn share(&self, k: usize) -> f64 {
        let total = self.cumulative.last().copied().unwrap_or(1.0);
        let below = if k == 0 { 0.0 } else { self.cumulative[k - 1] };
        (self.cumulative[k] - below) / total
    }

    pub fn sample<R: Rng + ?Sized>(&self, rng: &mut R) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0.0);
        let x = rng.random::<f64>() * total;
        self.cumulative.partition_point(|&c| c <= x).min(self.cumulative.len() - 1)
    }
}

/// Splits `total` among `len` holders: each draws around the mean (an exponential spread:
/// many hold a little, a few a lot), at most `max`; then single units are added or taken
/// at random until the sum is exactly `total`. `fixed` holders keep the amount given.
/// Panics if `total` cannot fit (`len × max` too small).
pub fn spread<R: Rng + ?Sized>(
    rng: &mut R,
    len: usize,
    total: usize,
    max: usize,
    fixed: &[(usize, usize)],
) -> Vec<usize> {
    let fixed_total: usize = fixed.iter().map(|f| f.1).sum();
    let free = len - fixed.len();
    assert!(free * max + fixed_total >= total && fixed_total <= total, "{total} cannot be spread over {len}");
    let is_fixed = |i: usize| fixed.iter().any(|f| f.0 == i);
    let mean = if free == 0 { 0.0 } else { (total - fixed_total) as f64 / free as f64 };
    let mut amounts: Vec<usize> = (0..len)
        .map(|i| {
            if let Some(f) = fixed.iter().find(|f| f.0 == i) {
                return f.1;
            }
            let u: f64 = rng.random();
            ((-mean * (1.0 - u).ln()).round() as usize).min(max)
        })
        .collect();
    let mut sum: usize = amounts.iter().sum();
    while sum < total {
        let i = rng.random_range(0..len);
        if !is_fixed(i) && amounts[i] < max {
            amounts[i] += 1;
            sum += 1;
        }
    }
    while sum > total {
        let i = rng.random_range(0..len);
        if !is_fixed(i) && amounts[i] > 0 {
            amounts[i] -= 1;
            sum -= 1;
        }
    }
    amounts
}

/// How many of each posting's applicants were selected (their application accepted, a
/// project started): exactly `total` in all, never more than `limit[p]` for posting p
/// (its applicants, less any it must keep). Each posting starts from a small draw of
/// openings; the rest is spread one at a time over postings with room, in random order.
pub fn selections<R: Rng + ?Sized>(rng: &mut R, limit: &[usize], total: usize) -> Vec<usize> {
    let room: usize = limit.iter().sum();
    assert!(room >= total, "{total} selections cannot fit in {room} applicants");
    let mut chosen: Vec<usize> = limit.iter().map(|&l| rng.random_range(0..=6).min(l)).collect();
    let mut sum: usize = chosen.iter().sum();
    let mut order: Vec<usize> = (0..limit.len()).collect();
    while sum > total {
        let p = rng.random_range(0..limit.len());
        if chosen[p] > 0 {
            chosen[p] -= 1;
            sum -= 1;
        }
    }
    while sum < total {
        // One pass adds at most one to each posting with room: the total grows evenly.
        for i in (1..order.len()).rev() {
            order.swap(i, rng.random_range(0..=i));
        }
        for &p in &order {
            if sum == total {
                break;
            }
            if chosen[p] < limit[p] {
                chosen[p] += 1;
                sum += 1;
            }
        }
    }
    chosen
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn counts_scale_with_students() {
        let c = Counts::for_students(100_000);
        assert_eq!(
            (c.employers, c.postings, c.applications, c.engagements, c.endorsements),
            (5_000, 40_000, 1_000_000, 150_000, 200_000)
        );
        assert_eq!((c.fair_sessions, c.registrations, c.outcomes, c.fairs), (2_000, 300_000, 150_000, 8));
        let small = Counts::for_students(2_000);
        assert_eq!((small.employers, small.postings, small.applications), (100, 800, 20_000));
        assert_eq!(small.fair_sessions, 60, "the benchmark's fair needs 50 sessions of its own");
        assert_eq!((small.fairs, small.admins, small.counselors), (2, 1, 1), "at least one of each");
        assert!(small.recruiters >= small.employers, "every employer can have a recruiter");
    }

    #[test]
    fn cohorts_are_four_graduated_classes_then_four_current() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        let c = cohorts(1_003, today);
        assert_eq!(c.len(), 8);
        assert_eq!(c.iter().map(|c| c.class_year).collect::<Vec<_>>(), (2023..=2030).collect::<Vec<_>>());
        assert_eq!(c.iter().filter(|c| c.graduated).map(|c| c.class_year).max(), Some(2026));
        assert_eq!(c.iter().map(|c| c.len).sum::<usize>(), 1_003);
        assert_eq!(c[7].range().end, 1_003, "contiguous");
        assert_eq!(latest_graduated_class(NaiveDate::from_ymd_opt(2027, 4, 30).unwrap()), 2026);
        assert_eq!(latest_graduated_class(NaiveDate::from_ymd_opt(2027, 5, 1).unwrap()), 2027);
        assert_eq!(graduation_term(2027, false), "2027-05");
        assert_eq!(graduation_term(2027, true), "2026-12");
    }

    #[test]
    fn skew_favours_the_first_ranks() {
        let skew = Skew::new(1_000, 10.0, 1.0);
        let mut rng = StdRng::seed_from_u64(7);
        let mut hits = vec![0usize; 1_000];
        for _ in 0..100_000 {
            hits[skew.sample(&mut rng)] += 1;
        }
        let top: usize = hits[..50].iter().sum();
        assert!(top > 25_000, "the first 5% of ranks take a large share: {top}");
        assert!(hits[0] > hits[500] * 10);
        assert!((skew.share(0) - hits[0] as f64 / 100_000.0).abs() < 0.005);
    }

    #[test]
    fn spread_hits_the_total_and_keeps_the_fixed() {
        let mut rng = StdRng::seed_from_u64(1);
        let a = spread(&mut rng, 1_000, 20_000, 200, &[(3, 50)]);
        assert_eq!(a.iter().sum::<usize>(), 20_000);
        assert_eq!(a[3], 50);
        assert!(a.iter().all(|&x| x <= 200));
        assert!(a.iter().filter(|&&x| x < 10).count() > 200, "skewed: many hold little");
    }

    #[test]
    fn selections_hit_the_total_within_the_limits() {
        let mut rng = StdRng::seed_from_u64(2);
        let limits: Vec<usize> = (0..500).map(|i| i % 17).collect();
        let s = selections(&mut rng, &limits, 1_500);
        assert_eq!(s.iter().sum::<usize>(), 1_500);
        assert!(s.iter().zip(&limits).all(|(s, l)| s <= l));
        let again = selections(&mut StdRng::seed_from_u64(2), &limits, 1_500);
        assert_eq!(s, again, "the same seed, the same draw");
    }
}
