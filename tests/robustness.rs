//! No input file can crash the importers: empty, binary junk, truncated files of
//! every format, and a 50 MB line all end in a clear error or a clean report.

use joinedup::import::{ImportOptions, parse_bytes};

fn check(name: &str, bytes: &[u8]) {
    let result = std::panic::catch_unwind(|| parse_bytes(name, bytes, ImportOptions::default()));
    match result {
        Err(_) => panic!("{name}: the importer panicked"),
        Ok(Err(e)) => assert!(e.to_string().starts_with(name), "{name}: the error names the file: {e}"),
        Ok(Ok(parsed)) => {
            for r in &parsed.rejections {
                assert!(!r.reason.is_empty(), "{name}: a rejection has a reason");
            }
        }
    }
}

#[test]
fn junk_and_truncated_inputs() {
    check("empty.json", b"");
    check("spaces.txt", b"   \n\n  ");
    let junk: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    check("junk.bin", &junk);
    let samples: [(&str, &str); 5] = [
        ("bundle.json", include_str!("../fixtures/training.json")),
        ("fhir.json", include_str!("data/fhir-careplan-bundle.json")),
        ("spells.csv", include_str!("data/hospital-spells.csv")),
        ("adt.hl7", include_str!("data/adt-sequence.hl7")),
        (
            "cld.csv",
            "LA Person Unique Identifier,Event Type,Event Start Date\nA1,Request,2026-01-01\nA2,Service,2026-01-02\n",
        ),
    ];
    for (name, text) in samples {
        let bytes = text.as_bytes();
        // Cut every file at many points, including mid-character and mid-field.
        for cut in (0..bytes.len()).step_by((bytes.len() / 97).max(1)) {
            check(name, &bytes[..cut]);
        }
        check(name, bytes);
    }
}

#[test]
fn a_fifty_megabyte_line() {
    let mut big = b"LA Person Unique Identifier,Event Type,Event Start Date\nA1,Request,".to_vec();
    big.extend(std::iter::repeat_n(b'9', 50 * 1024 * 1024));
    check("huge.csv", &big);
    let mut hl7 = b"MSH|^~\\&|PAS|NGH|X|Y|202610021705||ADT^A01|M1|P|2.4\rPID|1||".to_vec();
    hl7.extend(std::iter::repeat_n(b'^', 50 * 1024 * 1024));
    check("huge.hl7", &hl7);
}
