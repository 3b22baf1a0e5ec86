//! Engine and Blob-reader tests inside a dedicated Web Worker in headless Chromium, where the
//! scan really runs. Run with `wasm-pack test --headless --chrome` (see scripts/test.sh).

#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod support;

use std::io::{Cursor, Read, Seek, SeekFrom};

use js_sys::{Array, Uint8Array};
use site_triage::bridge::blob_reader::BlobReader;
use site_triage::engine::{self, collect::Silent};
use support::cases;
use wasm_bindgen_test::*;
use web_sys::Blob;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn blob(bytes: &[u8]) -> Blob {
    let parts = Array::of1(&Uint8Array::from(bytes));
    Blob::new_with_u8_array_sequence(&parts).unwrap()
}

/// xorshift: deterministic "random" reads and seeks.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[wasm_bindgen_test]
fn blob_reader_matches_cursor_under_random_reads_and_seeks() {
    let data: Vec<u8> = (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    // A small window forces refetches at every kind of boundary.
    let mut blob_reader = BlobReader::with_window(blob(&data), 4096).unwrap();
    let mut cursor = Cursor::new(&data);
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let (mut a, mut b) = (vec![0u8; 20_000], vec![0u8; 20_000]);
    for step in 0..2_000 {
        match rng.next() % 4 {
            0 => {
                let to = SeekFrom::Start(rng.next() % (data.len() as u64 + 100));
                assert_eq!(
                    blob_reader.seek(to).unwrap(),
                    cursor.seek(to).unwrap(),
                    "step {step}"
                );
            }
            1 => {
                let d = (rng.next() % 20_000) as i64 - 10_000;
                let to = SeekFrom::Current(d);
                assert_eq!(
                    blob_reader.seek(to).ok(),
                    cursor.seek(to).ok(),
                    "step {step}"
                );
            }
            2 => {
                let d = -((rng.next() % 5_000) as i64);
                let to = SeekFrom::End(d);
                assert_eq!(
                    blob_reader.seek(to).unwrap(),
                    cursor.seek(to).unwrap(),
                    "step {step}"
                );
            }
            _ => {
                let n = (rng.next() % 20_000) as usize;
                let x = blob_reader.read(&mut a[..n]).unwrap();
                // Read may return less than asked; the cursor must agree on those bytes.
                cursor.read_exact(&mut b[..x]).unwrap();
                assert_eq!(&a[..x], &b[..x], "step {step}");
                if n > 0 && (cursor.position() as usize) < data.len() {
                    assert!(x > 0, "step {step}: short read of 0 before the end");
                }
            }
        }
    }
    // read_to_end from the middle
    blob_reader.seek(SeekFrom::Start(123_457)).unwrap();
    let mut rest = Vec::new();
    blob_reader.read_to_end(&mut rest).unwrap();
    assert_eq!(rest, &data[123_457..]);
}

/// Windows filled ahead from the `Blob`'s byte stream ([`BlobReader::prefetch`], as the
/// worker does between steps) give the same bytes as a cursor, mixed with seeks and reads
/// that leave the window (those go through `FileReaderSync`).
#[wasm_bindgen_test]
async fn prefetched_windows_match_cursor() {
    let data: Vec<u8> = (0..3_000_000u32)
        .map(|i| (i.wrapping_mul(2_246_822_519) >> 11) as u8)
        .collect();
    let mut reader = BlobReader::with_window(blob(&data), 8192).unwrap();
    let ahead = reader.clone();
    let mut cursor = Cursor::new(&data);
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let (mut a, mut b) = (vec![0u8; 300_000], vec![0u8; 300_000]);
    for step in 0..400 {
        match rng.next() % 3 {
            0 => {
                let n = rng.next() % 1_500_000;
                ahead.prefetch(n as usize).await.unwrap();
                let pos = cursor.position();
                let want = pos.min(data.len() as u64)..(pos + n).min(data.len() as u64);
                let held = reader.window();
                assert!(
                    want.is_empty() || (held.start <= want.start && held.end >= want.end),
                    "step {step}: wanted {want:?}, holds {held:?}"
                );
            }
            1 => {
                let to = SeekFrom::Start(rng.next() % (data.len() as u64 + 10));
                assert_eq!(reader.seek(to).unwrap(), cursor.seek(to).unwrap());
            }
            _ => {
                let n = (rng.next() % 300_000) as usize;
                let x = reader.read(&mut a[..n]).unwrap();
                cursor.read_exact(&mut b[..x]).unwrap();
                assert_eq!(&a[..x], &b[..x], "step {step}");
                if n > 0 && (cursor.position() as usize) < data.len() {
                    assert!(x > 0, "step {step}: short read of 0 before the end");
                }
            }
        }
    }
    // Sequential, as a walk reads: prefetch, then read the window through. One byte stream
    // serves every prefetch.
    let mut reader = BlobReader::with_window(blob(&data), 8192).unwrap();
    let ahead = reader.clone();
    reader.seek(SeekFrom::Start(17)).unwrap();
    let mut all = data[..17].to_vec();
    loop {
        ahead.prefetch(400_000).await.unwrap();
        let mut chunk = vec![0u8; 123_457];
        let n = reader.read(&mut chunk).unwrap();
        if n == 0 {
            break;
        }
        all.extend_from_slice(&chunk[..n]);
    }
    assert!(all == data, "sequential prefetched read differs");
    assert_eq!(
        reader.streams_opened(),
        1,
        "a forward walk reopened its stream"
    );
}

#[wasm_bindgen::prelude::wasm_bindgen(inline_js = r#"
let kept = null;
// As WebKit: Blob.stream() gives a stream that is not a byte stream, so asking it for a BYOB
// reader throws a TypeError.
export function blob_streams_without_bytes(on) {
  if (on && !kept) {
    kept = Blob.prototype.stream;
    Blob.prototype.stream = function () {
      const inner = kept.call(this).getReader();
      return new ReadableStream({
        async pull(c) { const { done, value } = await inner.read(); if (done) c.close(); else c.enqueue(value); },
      });
    };
  } else if (!on && kept) {
    Blob.prototype.stream = kept;
    kept = null;
  }
}
"#)]
extern "C" {
    fn blob_streams_without_bytes(on: bool);
}

/// Where `Blob.stream()` is not a byte stream (WebKit), a prefetch fails with an error, not
/// an exception through the wasm (which ended the scan in Safari's engine), and every read
/// goes on through `FileReaderSync` with the same bytes; the scan of a real archive too.
#[wasm_bindgen_test]
async fn without_byte_streams_reads_fall_back_to_file_reader_sync() {
    let data: Vec<u8> = (0..2_000_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 9) as u8)
        .collect();
    blob_streams_without_bytes(true);
    let mut reader = BlobReader::with_window(blob(&data), 65_536).unwrap();
    let ahead = reader.clone();
    let first = ahead.prefetch(1 << 20).await;
    let mut all = Vec::new();
    loop {
        // Later prefetches do nothing: the reader knows the browser cannot.
        assert!(ahead.prefetch(1 << 20).await.is_ok());
        let mut chunk = vec![0u8; 100_003];
        let n = reader.read(&mut chunk).unwrap();
        if n == 0 {
            break;
        }
        all.extend_from_slice(&chunk[..n]);
    }
    // The worker's own path (Blob reader, prefetch, steps) over an archive of 12 MB.
    let files: Vec<(String, Vec<u8>)> = (0..40)
        .map(|i| {
            let body: Vec<u8> = (0..300_000u32)
                .map(|k| (k.wrapping_mul(i + 7) >> 3) as u8)
                .collect();
            (format!("public_html/media/f{i}.bin"), body)
        })
        .chain([(
            "public_html/wp-content/uploads/x.php".to_string(),
            b"<?php eval($_POST['x']);".to_vec(),
        )])
        .collect();
    let zip = support::zip_files(&support::borrowed(&files));
    let parts = Array::of1(&Uint8Array::from(zip.as_slice()));
    let file = web_sys::File::new_with_u8_array_sequence(&parts, "backup.zip").unwrap();
    let read = site_triage::bridge::worker::read_share(&file, 0, 1).await;
    blob_streams_without_bytes(false);
    let e = first.expect_err("a prefetch without a byte stream must fail");
    assert!(e.to_string().contains("TypeError"), "{e}");
    assert_eq!(reader.streams_opened(), 0);
    assert!(all == data, "reads through FileReaderSync differ");
    let (part, _) = read.expect("the worker's read without byte streams");
    let report = engine::report(
        engine::collect::merge(vec![part]),
        "backup.zip",
        &mut support::bundled,
        &[],
    );
    assert_eq!(report, support::scan(&zip).unwrap());
    assert_eq!(report.summary.files, 41);
}

#[wasm_bindgen_test]
fn scan_through_blob_equals_scan_through_cursor() {
    let mut files: Vec<(String, Vec<u8>)> = (0..300)
        .map(|i| {
            (
                format!("public_html/dir{}/f{i}.php", i % 7),
                format!("<?php echo {i};").repeat(i % 50 + 1).into_bytes(),
            )
        })
        .collect();
    files.push((
        "public_html/wp-content/uploads/x.php".into(),
        b"<?php".to_vec(),
    ));
    let refs = support::borrowed(&files);
    for bytes in [support::zip_files(&refs), support::tar(&refs, true)] {
        let via_cursor = support::scan(&bytes).unwrap();
        let reader = BlobReader::with_window(blob(&bytes), 64 * 1024).unwrap();
        let len = reader.len();
        let via_blob =
            engine::scan(reader, len, "backup.zip", &mut |_| None, &[], &mut Silent).unwrap();
        assert_eq!(via_blob, via_cursor);
        assert_eq!(via_blob.summary.files, 301);
    }
}

// The hostile-archive cases, the same bodies as the native tests.
#[wasm_bindgen_test]
fn hostile_names_are_warnings_and_still_scanned() {
    cases::hostile_names_are_warnings_and_still_scanned();
}
#[wasm_bindgen_test]
fn links_encryption_methods_and_crc_are_entry_warnings() {
    cases::links_encryption_methods_and_crc_are_entry_warnings();
}
#[wasm_bindgen_test]
fn lying_sizes_and_duplicates_are_caught() {
    cases::lying_sizes_and_duplicates_are_caught();
}
#[wasm_bindgen_test]
fn shared_data_bomb_entries_are_skipped() {
    cases::shared_data_bomb_entries_are_skipped();
}
#[wasm_bindgen_test]
fn archive_level_failures_have_clear_messages() {
    cases::archive_level_failures_have_clear_messages();
}
#[wasm_bindgen_test]
fn truncated_tar_gz_reports_what_it_could_read() {
    cases::truncated_tar_gz_reports_what_it_could_read();
}
#[wasm_bindgen_test]
fn plain_tar_is_read() {
    cases::plain_tar_is_read();
}
#[wasm_bindgen_test]
fn ratio_bomb_entry_is_skipped_with_a_warning() {
    cases::ratio_bomb_entry_is_skipped_with_a_warning();
}
#[wasm_bindgen_test]
fn tar_gz_bomb_stops_mid_entry() {
    cases::tar_gz_bomb_stops_mid_entry();
}

#[wasm_bindgen_test]
fn nested_archives_are_not_unpacked() {
    cases::nested_archives_are_not_unpacked();
}

/// A flood of tiny entries (150,000: past the 65,535 of a classic ZIP, so ZIP64 end records),
/// read in the worker in one pass and in shares, every file in the report.
#[wasm_bindgen_test]
fn a_flood_of_tiny_entries_is_scanned() {
    let bytes = support::tiny_entries_zip(150_000);
    let one = support::scan(&bytes).unwrap();
    assert_eq!(one.summary.files, 150_000);
    let two = support::scan_in_shares(&bytes, 2).unwrap();
    assert_eq!(two.summary.files, 150_000);
}

#[wasm_bindgen_test]
fn zip64_entries_are_read() {
    cases::zip64_entries_are_read();
}

#[wasm_bindgen_test]
fn shares_merge_into_the_same_report() {
    cases::shares_merge_into_the_same_report();
}
#[wasm_bindgen_test]
fn bzip2_entries_are_read() {
    cases::bzip2_entries_are_read();
}
#[wasm_bindgen_test]
fn detection_works_on_representative_samples() {
    cases::detection_works_on_representative_samples();
}
#[wasm_bindgen_test]
fn injections_at_the_end_of_big_files_are_seen() {
    cases::injections_at_the_end_of_big_files_are_seen();
}

/// Media hashed by WebCrypto while the walk reads it, in shares as several workers do: the
/// same report as one pass hashing everything in wasm.
#[wasm_bindgen_test]
async fn webcrypto_hashes_in_shares_give_the_same_report() {
    use site_triage::bridge::worker::read_share;
    use support::ZipEntry;
    let mut entries = Vec::new();
    for i in 0..40u32 {
        let len = 1_000 + (i as usize * 7919) % 90_000;
        let data: Vec<u8> = (0..len).map(|j| (j as u32 * 31 + i) as u8).collect();
        let mut e = ZipEntry::new(&format!("site/wp-content/uploads/img-{i}.jpg"), &data);
        e.deflate = i % 3 == 0;
        entries.push(e);
    }
    let mut image = b"\xff\xd8\xff\xe0".to_vec();
    image.extend(std::iter::repeat_n(9u8, 50_000));
    image.extend_from_slice(b"<?php @eval($_POST['x']); ?>");
    entries.push(ZipEntry::new("site/wp-content/uploads/photo.jpg", &image));
    entries.push(ZipEntry::new("site/index.php", b"<?php echo 1;"));
    let bytes = support::zip(&entries);
    let whole = serde_json::to_value(support::scan(&bytes).unwrap()).unwrap();
    let parts = Array::of1(&Uint8Array::from(bytes.as_slice()));
    let file = web_sys::File::new_with_u8_array_sequence(&parts, "backup.zip").unwrap();
    for count in [1u32, 2, 3] {
        let mut collected = Vec::new();
        let mut offloaded = 0;
        for share in 0..count {
            let (part, n) = read_share(&file, share, count).await.unwrap();
            offloaded += n;
            collected.push(part);
        }
        assert!(
            offloaded >= 20,
            "only {offloaded} files hashed by WebCrypto"
        );
        let merged = engine::collect::merge(collected);
        let report = engine::report(merged, "backup.zip", &mut support::bundled, &[]);
        assert_eq!(
            whole,
            serde_json::to_value(report).unwrap(),
            "{count} shares"
        );
    }
}

/// Sends `value` to another port as the workers do, transferring its byte chunks, and
/// returns what arrives there, decoded; also checks that the sender's buffers were moved.
async fn through_a_port<T: serde::Serialize + serde::de::DeserializeOwned>(value: &T) -> T {
    use site_triage::bridge::chunks;
    use wasm_bindgen::JsCast;
    let list = chunks::encode(value).unwrap();
    let sent = chunks::len(&list);
    let channel = web_sys::MessageChannel::new().unwrap();
    let arrived = js_sys::Promise::new(&mut |resolve, _| {
        let on = wasm_bindgen::closure::Closure::once_into_js(move |ev: web_sys::MessageEvent| {
            let _ = resolve.call1(&wasm_bindgen::JsValue::NULL, &ev.data());
        });
        channel.port2().set_onmessage(Some(on.unchecked_ref()));
    });
    channel
        .port1()
        .post_message_with_transferable(&list, &chunks::transfer_list(&list))
        .unwrap();
    assert_eq!(chunks::len(&list), 0, "the chunks were copied, not moved");
    let got = wasm_bindgen_futures::JsFuture::from(arrived).await.unwrap();
    let got_list: Array = got.clone().dyn_into().unwrap();
    assert_eq!(chunks::len(&got_list), sent);
    chunks::decode(&got).unwrap()
}

/// A helper's part and the report travel as transferred 1 MiB chunks of JSON: a part of
/// 12,000 files (two shares) spans several chunks, arrives whole and merges into the same report; broken
/// or missing chunks are an error, not a panic.
#[wasm_bindgen_test]
async fn parts_and_reports_travel_as_moved_chunks() {
    use site_triage::bridge::chunks;
    use site_triage::bridge::worker::read_share;
    let bytes = support::tiny_entries_zip(12_000);
    let whole = serde_json::to_value(support::scan(&bytes).unwrap()).unwrap();
    let parts = Array::of1(&Uint8Array::from(bytes.as_slice()));
    let file = web_sys::File::new_with_u8_array_sequence(&parts, "backup.zip").unwrap();
    let mut collected = Vec::new();
    for share in 0..2 {
        let (part, _) = read_share(&file, share, 2).await.unwrap();
        let list = chunks::encode(&part).unwrap();
        if share == 1 {
            assert!(list.length() >= 2, "{} chunks", list.length());
        }
        collected.push(through_a_port(&part).await);
    }
    let merged = engine::collect::merge(collected);
    let report = engine::report(merged, "backup.zip", &mut support::bundled, &[]);
    let report = through_a_port(&report).await;
    assert_eq!(whole, serde_json::to_value(report).unwrap());

    let garbage = Array::of2(
        &Uint8Array::from(&b"{\"files\":["[..]),
        &Uint8Array::from(&b"1,2"[..]),
    );
    assert!(chunks::decode::<engine::report::Report>(&garbage.into()).is_err());
    assert!(chunks::decode::<engine::report::Report>(&Array::new().into()).is_err());
    assert!(chunks::decode::<engine::report::Report>(&"text".into()).is_err());
    let mixed = chunks::encode(&whole).unwrap();
    assert!(chunks::decode::<serde_json::Value>(&mixed.clone().into()).is_ok());
    mixed.push(&"not bytes".into());
    assert!(chunks::decode::<serde_json::Value>(&mixed.into()).is_err());
}

/// A single entry over 4 GiB (ZIP64 sizes, stored, incompressible) read by the worker's own
/// path (`read_share`: Blob reader, prefetch, steps). The 4 GiB `File` is made of references
/// to one 1 MiB `Blob`, so nothing of that size is in memory; the entry is read to the end
/// with its CRC checked and gets the SHA-256 the native test computes from the same bytes.
#[wasm_bindgen_test]
async fn an_entry_over_4_gib_is_read_in_full() {
    use site_triage::bridge::worker::read_share;
    let period = (support::SYNTH_BLOCK * support::SYNTH_CYCLE) as usize;
    let mut bytes = vec![0u8; period];
    for (k, block) in bytes.chunks_mut(support::SYNTH_BLOCK as usize).enumerate() {
        support::synthetic_block(k as u64, block);
    }
    let unit = blob(&bytes);
    let size = support::BIG_ENTRY_SIZE;
    let (head, tail) =
        support::big_entry_frame(support::BIG_ENTRY_NAME, size, support::BIG_ENTRY_CRC);
    let parts = Array::new();
    parts.push(&Uint8Array::from(head.as_slice()));
    for _ in 0..size / period as u64 {
        parts.push(&unit);
    }
    let rest = (size % period as u64) as f64;
    parts.push(&unit.slice_with_f64_and_f64(0.0, rest).unwrap());
    parts.push(&Uint8Array::from(tail.as_slice()));
    let file = web_sys::File::new_with_blob_sequence(&parts, "big.zip").unwrap();
    assert_eq!(
        file.size() as u64,
        head.len() as u64 + size + tail.len() as u64
    );
    let (part, _) = read_share(&file, 0, 1).await.unwrap();
    let report = engine::report(
        engine::collect::merge(vec![part]),
        "big.zip",
        &mut support::bundled,
        &[],
    );
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
    assert_eq!(report.summary.files, 1);
    let f = report
        .files
        .iter()
        .find(|f| f.path == support::BIG_ENTRY_NAME)
        .unwrap();
    assert_eq!(f.size, size);
    assert_eq!(f.sha256, support::BIG_ENTRY_SHA);
}

// Several backups compared, and break-in dates from log lines (`support::series`).
#[wasm_bindgen_test]
fn series_clean_then_infected_restores_the_clean_one() {
    support::series::clean_then_infected_restores_the_clean_one();
}

#[wasm_bindgen_test]
fn series_the_newest_backup_before_the_first_infected_one_is_named() {
    support::series::the_newest_backup_before_the_first_infected_one_is_named();
}

#[wasm_bindgen_test]
fn series_no_clean_backup_says_reinstall() {
    support::series::no_clean_backup_says_reinstall();
}

#[wasm_bindgen_test]
fn series_a_timestomped_break_in_is_dated_by_its_log_lines() {
    support::series::a_timestomped_break_in_is_dated_by_its_log_lines();
}

#[wasm_bindgen_test]
fn series_the_same_backup_twice_is_compared_once() {
    support::series::the_same_backup_twice_is_compared_once();
}

#[wasm_bindgen_test]
fn series_backups_of_different_sites_are_not_compared() {
    support::series::backups_of_different_sites_are_not_compared();
}

#[wasm_bindgen_test]
fn series_a_damaged_backup_keeps_its_error_and_the_rest_are_compared() {
    support::series::a_damaged_backup_keeps_its_error_and_the_rest_are_compared();
}
