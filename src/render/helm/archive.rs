//! Reading packaged charts: gzip-compressed tar archives (ustar, GNU long
//! names and pax `path` records), as `helm package` writes them. As Go's tar
//! reader, entries that are only a header (links, devices, FIFOs) have no
//! content: a symlink in an archive is an empty file, never followed.
//!
//! This module must not interpret chart files or judge entry names; it
//! returns names and bytes.

use std::io::Read;

/// A regular file of an archive: its full path inside the archive and contents.
pub type ArchiveEntry = (String, Vec<u8>);

/// Helm's `loader.MaxDecompressedChartSize`: all files of a chart together.
pub const MAX_DECOMPRESSED_CHART_SIZE: usize = 100 * 1024 * 1024;
/// Helm's `loader.MaxDecompressedFileSize`: one file of a chart.
pub const MAX_DECOMPRESSED_FILE_SIZE: usize = 5 * 1024 * 1024;
/// The most tar stream read: the files plus room for their headers and
/// padding (Helm streams the tar and counts only the files), so a small
/// archive cannot decompress into gigabytes.
const MAX_TAR_SIZE: usize = 2 * MAX_DECOMPRESSED_CHART_SIZE;

/// Decompresses and reads every regular file of a `.tgz`, within Helm's
/// size limits. Errors are plain messages (Helm's words); the caller names the archive.
pub fn read_tgz(bytes: &[u8]) -> Result<Vec<ArchiveEntry>, String> {
    let too_large = || format!("decompressed chart is larger than the maximum size {MAX_DECOMPRESSED_CHART_SIZE}");
    let mut tar = Vec::new();
    flate2::read::GzDecoder::new(bytes)
        .take(MAX_TAR_SIZE as u64 + 1)
        .read_to_end(&mut tar)
        .map_err(|e| format!("not a gzip-compressed chart archive: {e}"))?;
    if tar.len() > MAX_TAR_SIZE {
        return Err(too_large());
    }
    let entries = read_tar(&tar)?;
    let mut total = 0;
    for (name, data) in &entries {
        if data.len() > MAX_DECOMPRESSED_FILE_SIZE {
            let name = crate::yaml::goquote::quote(name);
            return Err(format!(
                "decompressed chart file {name} is larger than the maximum file size {MAX_DECOMPRESSED_FILE_SIZE}"
            ));
        }
        total += data.len();
        if total > MAX_DECOMPRESSED_CHART_SIZE {
            return Err(too_large());
        }
    }
    Ok(entries)
}

fn read_tar(tar: &[u8]) -> Result<Vec<ArchiveEntry>, String> {
    let mut entries = Vec::new();
    let mut offset = 0;
    let mut long_name: Option<String> = None;
    while offset + 512 <= tar.len() {
        let header = &tar[offset..offset + 512];
        if header.iter().all(|&b| b == 0) {
            break;
        }
        let type_flag = header[156];
        let size = octal(&header[124..136]).ok_or_else(|| format!("corrupt tar header at byte {offset}"))?;
        // Go's reader ignores the size of header-only entries.
        let size = if is_header_only(type_flag) { 0 } else { size };
        let data_start = offset + 512;
        let data_end = data_start + size;
        let data = tar.get(data_start..data_end).ok_or("tar archive is truncated")?;
        offset = data_start + size.div_ceil(512) * 512;
        match type_flag {
            b'L' => long_name = Some(c_string(data)),
            b'x' => long_name = pax_path(data).or(long_name),
            b'g' | b'K' => {}
            b'5' => long_name = None,
            _ => {
                let name = long_name.take().unwrap_or_else(|| ustar_name(header));
                entries.push((name, data.to_vec()));
            }
        }
    }
    Ok(entries)
}

/// Hard and symbolic links, character and block devices, directories and FIFOs.
fn is_header_only(type_flag: u8) -> bool {
    (b'1'..=b'6').contains(&type_flag)
}

fn ustar_name(header: &[u8]) -> String {
    let name = c_string(&header[0..100]);
    let prefix = if &header[257..262] == b"ustar" { c_string(&header[345..500]) } else { String::new() };
    if prefix.is_empty() { name } else { format!("{prefix}/{name}") }
}

fn c_string(bytes: &[u8]) -> String {
    let end = bytes.iter().position(|&b| b == 0).unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..end]).into_owned()
}

fn octal(field: &[u8]) -> Option<usize> {
    let text = c_string(field);
    let text = text.trim();
    if text.is_empty() {
        return Some(0);
    }
    usize::from_str_radix(text, 8).ok()
}

/// The `path` record of a pax extended header (`LEN path=VALUE\n`).
fn pax_path(data: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(data);
    text.lines().find_map(|line| line.split_once(' ').and_then(|(_, kv)| kv.strip_prefix("path=")).map(str::to_string))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn header(name: &str, size: usize) -> Vec<u8> {
        let mut h = vec![0u8; 512];
        h[..name.len()].copy_from_slice(name.as_bytes());
        let size = format!("{size:011o}");
        h[124..135].copy_from_slice(size.as_bytes());
        h[156] = b'0';
        h
    }

    #[test]
    fn reads_files_from_a_gzipped_tar() {
        let mut tar = header("web/Chart.yaml", 5);
        tar.extend_from_slice(b"name\n");
        tar.resize(1024, 0);
        tar.extend(vec![0u8; 1024]);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&tar).unwrap();
        let entries = read_tgz(&gz.finish().unwrap()).unwrap();
        assert_eq!(entries, vec![("web/Chart.yaml".to_string(), b"name\n".to_vec())]);
    }

    fn gzip(tar: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(tar).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn files_beyond_helms_size_limits_are_refused() {
        let mut tar = header("web/values.yaml", MAX_DECOMPRESSED_FILE_SIZE + 1);
        tar.resize(512 + (MAX_DECOMPRESSED_FILE_SIZE + 1).div_ceil(512) * 512, b' ');
        assert_eq!(
            read_tgz(&gzip(&tar)),
            Err("decompressed chart file \"web/values.yaml\" is larger than the maximum file size 5242880".to_string())
        );
        let mut tar = Vec::new();
        for index in 0..=MAX_DECOMPRESSED_CHART_SIZE / MAX_DECOMPRESSED_FILE_SIZE {
            tar.extend(header(&format!("web/files/{index}"), MAX_DECOMPRESSED_FILE_SIZE));
            tar.resize(tar.len() + MAX_DECOMPRESSED_FILE_SIZE, b' ');
        }
        assert_eq!(
            read_tgz(&gzip(&tar)),
            Err("decompressed chart is larger than the maximum size 104857600".to_string())
        );
    }

    #[test]
    fn a_small_archive_cannot_decompress_into_gigabytes() {
        // 300 MiB of zeros compress to 300 KiB; only the first 200 MiB are ever read.
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..300 {
            gz.write_all(&zeros).unwrap();
        }
        let bomb = gz.finish().unwrap();
        assert!(bomb.len() < 1 << 20);
        assert_eq!(read_tgz(&bomb), Err("decompressed chart is larger than the maximum size 104857600".to_string()));
    }

    #[test]
    fn links_are_empty_entries_and_directories_are_left_out() {
        let mut link = header("web/templates/leak", 0);
        link[156] = b'2';
        link[157..168].copy_from_slice(b"/etc/shadow");
        let mut dir = header("web/templates/", 0);
        dir[156] = b'5';
        let mut tar = [link, dir].concat();
        tar.extend(vec![0u8; 1024]);
        assert_eq!(read_tar(&tar), Ok(vec![("web/templates/leak".to_string(), Vec::new())]));
    }

    #[test]
    fn truncated_archives_are_errors() {
        let mut tar = header("web/Chart.yaml", 4096);
        tar.extend_from_slice(b"short");
        assert_eq!(read_tar(&tar), Err("tar archive is truncated".to_string()));
    }
}
