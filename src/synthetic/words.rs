//! The words synthetic records are made of: names, colleges and majors, employers,
//! project titles, skills. Plain lists, so a record reads like the office's own.

use rand::Rng;

pub const FIRST_NAMES: &[&str] = &[
    "Ada", "Amara", "Ben", "Carmen", "Chen", "Dana", "Diego", "Elena", "Farah", "Gabriel", "Hana", "Ibrahim", "Isla",
    "Jamal", "Jin", "Kai", "Leila", "Liam", "Maya", "Mateo", "Nadia", "Noah", "Olivia", "Omar", "Priya", "Quinn",
    "Rosa", "Samir", "Sofia", "Tariq", "Uma", "Victor", "Wei", "Xavier", "Yara", "Zoe", "Aiden", "Bianca", "Caleb",
    "Daria", "Emeka", "Fiona", "Grace", "Hugo", "Ines", "Jonah", "Keiko", "Lucas", "Mina", "Nikhil",
];

pub const LAST_NAMES: &[&str] = &[
    "Adams", "Baker", "Castillo", "Diaz", "Edwards", "Fischer", "Garcia", "Hassan", "Ito", "Johnson", "Kim", "Lopez",
    "Martin", "Nguyen", "Okafor", "Patel", "Quintero", "Rossi", "Santos", "Tanaka", "Usman", "Vargas", "Williams",
    "Xu", "Yilmaz", "Zhang", "Anders", "Brooks", "Cohen", "Duarte", "Evans", "Flores", "Gupta", "Hughes", "Ivanova",
    "Jensen", "Kowalski", "Larsen", "Moreno", "Novak", "Ortiz", "Park", "Reyes", "Silva", "Turner", "Ueda", "Volkov",
    "Walsh", "Young", "Zimmer",
];

/// Colleges and their majors, as the roster writes them.
pub const COLLEGES: &[(&str, &[&str])] = &[
    (
        "College of Arts and Sciences",
        &["Biology", "Chemistry", "Communication", "Economics", "English", "History", "Mathematics", "Psychology"],
    ),
    ("School of Business", &["Accounting", "Finance", "Management", "Marketing", "Supply Chain Management"]),
    (
        "College of Engineering",
        &["Computer Science", "Electrical Engineering", "Mechanical Engineering", "Civil Engineering", "Data Science"],
    ),
    ("School of Health Sciences", &["Nursing", "Public Health", "Kinesiology", "Nutrition"]),
    ("College of Design", &["Graphic Design", "Architecture", "Industrial Design"]),
];

pub const DEPARTMENTS: &[&str] = &[
    "Accounting",
    "Biology",
    "Chemistry",
    "Communication",
    "Computer Science",
    "Economics",
    "Engineering",
    "English",
    "Finance",
    "Design",
    "History",
    "Management",
    "Marketing",
    "Mathematics",
    "Nursing",
    "Psychology",
    "Public Health",
];

pub const FACULTY_TITLES: &[&str] = &["Lecturer", "Assistant Professor", "Associate Professor", "Professor"];

pub const SKILLS: &[&str] = &[
    "Excel",
    "SQL",
    "Python",
    "R",
    "Tableau",
    "market research",
    "copywriting",
    "social media",
    "Figma",
    "customer interviews",
    "financial modeling",
    "data cleaning",
    "JavaScript",
    "presentations",
    "survey design",
    "project management",
    "SEO",
    "video editing",
    "bookkeeping",
    "recruiting",
];

const EMPLOYER_WORDS: &[&str] = &[
    "Acorn",
    "Beacon",
    "Brightline",
    "Cedar",
    "Cobalt",
    "Crescent",
    "Delta",
    "Ember",
    "Evergreen",
    "Falcon",
    "Granite",
    "Harbor",
    "Horizon",
    "Iris",
    "Juniper",
    "Keystone",
    "Lakeside",
    "Lumen",
    "Maple",
    "Meridian",
    "Northwind",
    "Oakridge",
    "Orchard",
    "Pioneer",
    "Prairie",
    "Quarry",
    "Redwood",
    "Riverbend",
    "Sable",
    "Summit",
    "Tidewater",
    "Trillium",
    "Union",
    "Valley",
    "Vantage",
    "Willow",
    "Wren",
    "Yardley",
    "Zenith",
    "Copperleaf",
];

const EMPLOYER_TRADES: &[&str] = &[
    "Analytics",
    "Health Partners",
    "Logistics",
    "Media",
    "Software",
    "Foods",
    "Energy",
    "Consulting",
    "Design Studio",
    "Financial",
    "Robotics",
    "Outfitters",
    "Learning",
    "Bank",
    "Labs",
    "Architects",
    "Biotech",
    "Games",
    "Realty",
    "Marketing",
    "Insurance",
    "Clinics",
    "Press",
    "Mobility",
    "Water",
    "Security",
    "Legal",
    "Travel",
    "Apparel",
    "Construction",
    "Pharmacy",
    "Studios",
    "Ventures",
    "Networks",
    "Farms",
    "Hotels",
    "Telecom",
    "Retail",
    "Aerospace",
    "Nonprofit Alliance",
];

pub const INDUSTRIES: &[&str] = &[
    "Technology",
    "Healthcare",
    "Finance",
    "Manufacturing",
    "Retail",
    "Media",
    "Education",
    "Nonprofit",
    "Consulting",
    "Energy",
    "Logistics",
    "Government",
];

pub const CITIES: &[&str] = &[
    "Columbus, OH",
    "Chicago, IL",
    "Austin, TX",
    "Denver, CO",
    "Atlanta, GA",
    "Seattle, WA",
    "Boston, MA",
    "Minneapolis, MN",
    "Pittsburgh, PA",
    "Raleigh, NC",
];

const PROJECT_KINDS: &[&str] = &[
    "Competitor landscape review",
    "Customer survey analysis",
    "Social media content calendar",
    "Lead list research",
    "Onboarding guide refresh",
    "Dashboard prototype",
    "Brand refresh mock-ups",
    "Process map and SOPs",
    "Sales pipeline clean-up",
    "Market sizing study",
    "Website accessibility audit",
    "Data entry and validation",
    "Benefits survey summary",
    "Landing page copy",
    "Inventory analysis",
    "Event logistics plan",
];

pub const JOB_TITLES: &[&str] = &[
    "Analyst",
    "Associate",
    "Coordinator",
    "Software Engineer",
    "Marketing Specialist",
    "Research Assistant",
    "Registered Nurse",
    "Designer",
    "Account Executive",
    "Operations Analyst",
    "Financial Analyst",
    "Consultant",
];

/// The `i`th employer's name: distinct for every `i` (a number is added once the word
/// pairs run out).
pub fn employer_name(i: usize) -> String {
    let (w, t) = (EMPLOYER_WORDS.len(), EMPLOYER_TRADES.len());
    let base = format!("{} {}", EMPLOYER_WORDS[i % w], EMPLOYER_TRADES[(i / w) % t]);
    match i / (w * t) {
        0 => base,
        n => format!("{base} {}", n + 1),
    }
}

/// An email domain for an employer's name: its words, lowercase, joined.
pub fn domain_of(name: &str) -> String {
    let slug: String = name.chars().filter(|c| c.is_ascii_alphanumeric()).collect::<String>().to_ascii_lowercase();
    format!("{slug}.example.com")
}

pub fn pick<'a, R: Rng + ?Sized>(rng: &mut R, list: &[&'a str]) -> &'a str {
    list[rng.random_range(0..list.len())]
}

/// One to three distinct skills, comma-separated.
pub fn skills<R: Rng + ?Sized>(rng: &mut R) -> String {
    let n = rng.random_range(1..=3);
    let mut chosen: Vec<&str> = Vec::with_capacity(n);
    while chosen.len() < n {
        let s = pick(rng, SKILLS);
        if !chosen.contains(&s) {
            chosen.push(s);
        }
    }
    chosen.join(", ")
}

pub fn project_title<R: Rng + ?Sized>(rng: &mut R, employer: &str) -> String {
    format!("{} for {employer}", pick(rng, PROJECT_KINDS))
}
