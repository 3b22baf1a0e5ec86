//! Hostile and unusual archives: names, links, encryption, bombs, truncation, ZIP64, huge counts, shares.

use super::*;

#[test]
fn hostile_names_are_warnings_and_still_scanned() {
    cases::hostile_names_are_warnings_and_still_scanned();
}

#[test]
fn links_encryption_methods_and_crc_are_entry_warnings() {
    cases::links_encryption_methods_and_crc_are_entry_warnings();
}

#[test]
fn lying_sizes_and_duplicates_are_caught() {
    cases::lying_sizes_and_duplicates_are_caught();
}

#[test]
fn shared_data_bomb_entries_are_skipped() {
    cases::shared_data_bomb_entries_are_skipped();
}

#[test]
fn archive_level_failures_have_clear_messages() {
    cases::archive_level_failures_have_clear_messages();
}

#[test]
fn truncated_tar_gz_reports_what_it_could_read() {
    cases::truncated_tar_gz_reports_what_it_could_read();
}

#[test]
fn many_entries_stay_fast_and_bounded() {
    let entries: Vec<ZipEntry> = (0..50_000)
        .map(|i| {
            let mut e = ZipEntry::new(&format!("s/d{}/f{i}.txt", i % 100), b"x");
            e.deflate = false;
            e
        })
        .collect();
    let bytes = zip(&entries);
    let r = scan(&bytes).unwrap();
    assert_eq!(r.summary.files, 50_000);
}

#[test]
fn plain_tar_is_read() {
    cases::plain_tar_is_read();
}

#[test]
fn tar_gz_bomb_stops_mid_entry() {
    cases::tar_gz_bomb_stops_mid_entry();
}

#[test]
fn ratio_bomb_entry_is_skipped_with_a_warning() {
    cases::ratio_bomb_entry_is_skipped_with_a_warning();
}

#[test]
fn bzip2_entries_are_read() {
    cases::bzip2_entries_are_read();
}

#[test]
fn nested_archives_are_not_unpacked() {
    cases::nested_archives_are_not_unpacked();
}

#[test]
fn zip64_entries_are_read() {
    cases::zip64_entries_are_read();
}

#[test]
fn shares_merge_into_the_same_report() {
    cases::shares_merge_into_the_same_report();
}

/// A ZIP64 archive holding one stored entry of `size` pseudo-random bytes, produced on the
/// fly as it is read (`Read + Seek`): a 4 GiB+ entry without 4 GiB on disk or in memory.
/// Its content and frame are `support::big_entry_*`, shared with the browser test.
struct SyntheticZip {
    head: Vec<u8>,
    size: u64,
    tail: Vec<u8>,
    pos: u64,
    block: Vec<u8>,
    block_no: u64,
}

impl SyntheticZip {
    /// Also returns the entry's CRC-32 and SHA-256, computed from the same bytes.
    fn new(name: &str, size: u64) -> (Self, u32, String) {
        let mut crc = flate2::Crc::new();
        use sha2::Digest;
        let mut sha = sha2::Sha256::new();
        let mut buf = vec![0u8; support::SYNTH_BLOCK as usize];
        let mut done = 0;
        while done < size {
            let n = (size - done).min(support::SYNTH_BLOCK) as usize;
            support::synthetic_block(done / support::SYNTH_BLOCK, &mut buf);
            crc.update(&buf[..n]);
            sha.update(&buf[..n]);
            done += n as u64;
        }
        let crc = crc.sum();
        let (head, tail) = support::big_entry_frame(name, size, crc);
        let zip = SyntheticZip {
            head,
            size,
            tail,
            pos: 0,
            block: vec![0; support::SYNTH_BLOCK as usize],
            block_no: u64::MAX,
        };
        let sha: [u8; 32] = sha.finalize().into();
        (zip, crc, site_triage::engine::read::hash::hex(&sha))
    }

    fn len(&self) -> u64 {
        self.head.len() as u64 + self.size + self.tail.len() as u64
    }
}

impl std::io::Read for SyntheticZip {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let head = self.head.len() as u64;
        let n = if self.pos < head {
            let from = &self.head[self.pos as usize..];
            let n = from.len().min(buf.len());
            buf[..n].copy_from_slice(&from[..n]);
            n
        } else if self.pos < head + self.size {
            let at = self.pos - head;
            let block = at / support::SYNTH_BLOCK;
            if block != self.block_no {
                support::synthetic_block(block, &mut self.block);
                self.block_no = block;
            }
            let in_block = (at % support::SYNTH_BLOCK) as usize;
            let left_in_file = (self.size - at) as usize;
            let n = (self.block.len() - in_block)
                .min(buf.len())
                .min(left_in_file);
            buf[..n].copy_from_slice(&self.block[in_block..in_block + n]);
            n
        } else {
            let at = (self.pos - head - self.size) as usize;
            let from = self.tail.get(at..).unwrap_or(&[]);
            let n = from.len().min(buf.len());
            buf[..n].copy_from_slice(&from[..n]);
            n
        };
        self.pos += n as u64;
        Ok(n)
    }
}

impl std::io::Seek for SyntheticZip {
    fn seek(&mut self, to: std::io::SeekFrom) -> std::io::Result<u64> {
        let target = match to {
            std::io::SeekFrom::Start(p) => Some(p),
            std::io::SeekFrom::End(d) => self.len().checked_add_signed(d),
            std::io::SeekFrom::Current(d) => self.pos.checked_add_signed(d),
        };
        self.pos = target.ok_or_else(|| std::io::Error::other("seek before start"))?;
        Ok(self.pos)
    }
}

/// A single entry larger than 4 GiB (ZIP64 sizes, stored, incompressible): read to the end
/// in bounded memory, with its CRC checked, the right SHA-256 and no warning.
#[test]
fn an_entry_over_4_gib_is_read_in_full() {
    let size = support::BIG_ENTRY_SIZE;
    let (zip, crc, sha) = SyntheticZip::new(support::BIG_ENTRY_NAME, size);
    // The browser test builds the same archive from these (it cannot afford to hash 4 GiB twice).
    assert_eq!(
        (crc, sha.as_str()),
        (support::BIG_ENTRY_CRC, support::BIG_ENTRY_SHA)
    );
    let len = zip.len();
    assert!(len > 4 << 30);
    let r = site_triage::engine::scan(
        zip,
        len,
        "big.zip",
        &mut support::bundled,
        &[],
        &mut site_triage::engine::collect::Silent,
    )
    .unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    assert_eq!(r.summary.files, 1);
    let f = status_of(&r, support::BIG_ENTRY_NAME).unwrap();
    assert_eq!(f.size, size);
    assert_eq!(f.sha256, sha);
}

/// A million tiny entries (a flood, not a site) are read, in one pass and in shares, with
/// every file in the report and memory bounded by the records (~100 MB archive in memory).
#[test]
fn a_million_tiny_entries_are_scanned() {
    let bytes = support::tiny_entries_zip(1_000_000);
    let r = scan(&bytes).unwrap();
    assert_eq!(r.summary.files, 1_000_000);
    assert_eq!(r.archive.format, ArchiveFormat::Zip);
    let two = scan_in_shares(&bytes, 2).unwrap();
    assert_eq!(two.summary.files, 1_000_000);
    assert_eq!(two.files.len(), r.files.len());
}

/// A ZIP says how many entries each share holds: the records get exactly that room up
/// front, not a doubling buffer (at 41,000 files a share had room for 65,536, and both the
/// old and the new buffer were alive while it grew).
#[test]
fn zip_share_records_are_reserved_from_the_central_directory() {
    let names: Vec<String> = (0..1100)
        .map(|i| format!("public_html/wp-content/uploads/f{i}.txt"))
        .collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(|n| (n.as_str(), &b"x"[..])).collect();
    let bytes = zip_files(&files);
    let len = bytes.len() as u64;
    for (index, count) in [(0, 1), (0, 2), (1, 2)] {
        let part = engine::collect::collect_share(
            std::io::Cursor::new(&bytes),
            len,
            engine::read::Share::new(index, count),
            &mut engine::collect::Silent,
        )
        .unwrap();
        assert!(!part.files.is_empty());
        assert_eq!(
            part.files.capacity(),
            part.files.len(),
            "share {index} of {count}"
        );
    }
}
