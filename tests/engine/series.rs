//! Several backups compared, and break-in dates from evidence (bodies in
//! `support::series`, which the browser worker runs too).

use crate::support::series;

#[test]
fn clean_then_infected_restores_the_clean_one() {
    series::clean_then_infected_restores_the_clean_one();
}

#[test]
fn the_newest_backup_before_the_first_infected_one_is_named() {
    series::the_newest_backup_before_the_first_infected_one_is_named();
}

#[test]
fn no_clean_backup_says_reinstall() {
    series::no_clean_backup_says_reinstall();
}

#[test]
fn a_timestomped_break_in_is_dated_by_its_log_lines() {
    series::a_timestomped_break_in_is_dated_by_its_log_lines();
}

#[test]
fn the_same_backup_twice_is_compared_once() {
    series::the_same_backup_twice_is_compared_once();
}

#[test]
fn backups_of_different_sites_are_not_compared() {
    series::backups_of_different_sites_are_not_compared();
}

#[test]
fn a_damaged_backup_keeps_its_error_and_the_rest_are_compared() {
    series::a_damaged_backup_keeps_its_error_and_the_rest_are_compared();
}

/// Every sentence of a comparison has its Norwegian form (values inside stay as they are).
#[test]
fn a_comparison_reads_in_norwegian() {
    use site_triage::engine::i18n::{comparison_sentences, localize_comparison, Lang};
    for c in [
        series::comparison_of_clean_then_infected(),
        series::comparison_without_a_clean_backup(),
    ] {
        let nb = localize_comparison(&c, Lang::Nb);
        let (en, no) = (comparison_sentences(&c), comparison_sentences(&nb));
        assert_eq!(en.len(), no.len());
        for (e, n) in en.iter().zip(&no) {
            assert_ne!(e, n, "not translated: {e}");
        }
    }
}

/// In a series, each report's checklist names the backup to restore and dates the break-in
/// by the backups first.
#[test]
fn the_checklist_of_a_series_names_the_backup_and_the_interval() {
    use site_triage::engine::present::checklist::build_in_series;
    let (results, c) = series::clean_then_infected();
    let infected = results
        .iter()
        .filter_map(|b| b.report())
        .find(|r| r.verdict == site_triage::engine::report::SiteVerdict::Compromised)
        .unwrap();
    let steps = build_in_series(infected, None, Some(&c));
    let step = |id: &str| steps.iter().find(|s| s.id == id).unwrap();
    assert!(
        step("restore").items[0].starts_with("Restore site-2026-06-01.zip (made 2026-06-01)"),
        "{:?}",
        step("restore").items
    );
    assert!(
        step("when").items[0].contains("it was planted between those dates"),
        "{:?}",
        step("when").items
    );
}
