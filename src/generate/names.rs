//! Synthetic names, streets, towns and postcode shapes.

use super::Rng;

pub(super) const FEMALE: [&str; 24] = [
    "Margaret",
    "Joan",
    "Patricia",
    "Eileen",
    "Dorothy",
    "Kathleen",
    "Sheila",
    "Barbara",
    "Jean",
    "Maureen",
    "Brenda",
    "Susan",
    "Linda",
    "Janet",
    "Christine",
    "Elizabeth",
    "Sarah",
    "Emma",
    "Rachel",
    "Amira",
    "Priya",
    "Grace",
    "Helen",
    "Ann",
];
pub(super) const MALE: [&str; 24] = [
    "John", "David", "Peter", "Michael", "Brian", "Kenneth", "Harold", "Ronald", "Alan", "Derek", "Keith", "Robert",
    "William", "James", "Stephen", "Paul", "Mark", "Samuel", "Tariq", "Rajesh", "Thomas", "George", "Arthur", "Frank",
];
pub(super) const FAMILY: [&str; 40] = [
    "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Robinson", "Wright", "Thompson",
    "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Wood", "Jackson", "Clarke", "Patel", "Khan", "Lewis",
    "Harrison", "Bennett", "Marsh", "Morgan", "Adeyemi", "Hughes", "Edwards", "Turner", "Hill", "Moore", "Cooper",
    "Ward", "Morris", "King", "Baker", "Shaw", "Okafor",
];
pub(super) const STREETS: [&str; 12] = [
    "Station Road",
    "Church Lane",
    "Mill Street",
    "Victoria Road",
    "Park Avenue",
    "The Green",
    "Manor Close",
    "Queens Road",
    "High Street",
    "Orchard Way",
    "Chapel Row",
    "Moor Lane",
];
pub(super) const TOWNS: [(&str, &str); 6] = [
    ("Northgate", "NG"),
    ("Southmere", "SM"),
    ("Eastbrook", "EB"),
    ("Westholme", "WH"),
    ("Ashby Fields", "AF"),
    ("Kirkdale", "KD"),
];
pub(super) const POSTCODE_LETTERS: &[u8] = b"ABDEFGHJLNPQRSTUWXYZ";

pub(super) fn postcode(rng: &mut Rng, area: &str) -> String {
    let l1 = POSTCODE_LETTERS[rng.below(POSTCODE_LETTERS.len() as u64) as usize] as char;
    let l2 = POSTCODE_LETTERS[rng.below(POSTCODE_LETTERS.len() as u64) as usize] as char;
    format!("{area}{} {}{l1}{l2}", rng.between(1, 19), rng.between(0, 9))
}
