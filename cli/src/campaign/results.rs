//! `--results FILE`: one JSON line per input row, written as results settle (completion
//! order, each with its `index`).
//!
//! A re-run must not lose what the previous run recorded. The previous file (and the
//! `FILE.partial` of a run killed outright) is read first and its accepted lines are kept. The
//! rows are still sent: the file may come from another API (a `--sandbox` rehearsal), and only
//! the API can say a message went out. When it answers "already used" (accepted earlier, no
//! id), the earlier line gives the Instasent id back. When this run fails or rejects a row an
//! earlier run accepted, and when a run is cut short (Ctrl-C, a read error), the earlier lines
//! not replaced are appended too, marked `earlierRun` and without an index (rows may have
//! moved). New lines go to `FILE.partial`, flushed whenever no result is waiting, and renamed
//! over `FILE` at the end, so a run killed outright leaves the previous file whole.
//!
//! One run at a time writes a results file: `FILE.partial` is held under an exclusive advisory
//! lock from before it is read until it has been renamed, and a second run is refused before it
//! sends anything. Two runs interleaving their lines would splice them, and the one that
//! renamed first would leave the other without its `.partial`. The lock goes with the process,
//! so a run killed outright does not keep the next one out.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions, TryLockError};
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, Write};
use std::path::{Path, PathBuf};

use instasent::{ItemResult, Outcome};
use serde_json::Value;

use crate::fail::{CliResult, Failure};

pub struct ResultsFile {
    path: PathBuf,
    partial: PathBuf,
    writer: BufWriter<File>,
    /// The previous file's accepted lines by clientId, until this run accepts that clientId.
    earlier: HashMap<String, String>,
    /// Earlier accepted lines of rows this run failed or rejected: kept whatever happens.
    superseded: Vec<String>,
    error: Option<io::Error>,
}

impl ResultsFile {
    /// Opens `path` for this run. Refuses the campaign's own input file and `-`.
    pub fn create(path: &Path, input: &Path) -> CliResult<ResultsFile> {
        let usage = |why: String| Failure::usage(format!("--results {}: {why}", path.display()));
        if path.as_os_str() == "-" {
            return Err(usage(
                "give a file name (the summary is what goes to standard output)".into(),
            ));
        }
        if path.exists() && same_file(path, input) {
            return Err(usage("that is the campaign's input file".into()));
        }
        let mut partial = path.as_os_str().to_owned();
        partial.push(".partial");
        let partial = PathBuf::from(partial);
        let cannot_write = |e: io::Error| usage(format!("cannot write {}: {e}", partial.display()));
        let Some(mut file) = lock(&partial).map_err(cannot_write)? else {
            return Err(usage(format!(
                "another instasent campaign is writing it ({} is locked): let that run finish, \
                 or give this one another results file",
                partial.display()
            )));
        };
        let mut earlier = HashMap::new();
        match File::open(path) {
            Ok(file) => earlier.extend(
                accepted_lines(file)
                    .map_err(|e| usage(format!("cannot read {}: {e}", path.display())))?,
            ),
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(usage(format!("cannot read {}: {e}", path.display()))),
        }
        // A killed run's lines last: they are the newer ones.
        earlier.extend(
            accepted_lines(&file)
                .map_err(|e| usage(format!("cannot read {}: {e}", partial.display())))?,
        );
        file.set_len(0).map_err(cannot_write)?;
        file.rewind().map_err(cannot_write)?;
        Ok(ResultsFile {
            path: path.to_path_buf(),
            partial,
            writer: BufWriter::new(file),
            earlier,
            superseded: Vec::new(),
            error: None,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Hands what was written to the file. Returns false once writing has failed.
    pub fn flush(&mut self) -> bool {
        if self.error.is_none() {
            if let Err(e) = self.writer.flush() {
                self.error = Some(e);
            }
        }
        self.error.is_none()
    }

    /// Writes one result. Returns false once writing has failed (the first error is kept for
    /// [`ResultsFile::finish`]).
    pub fn write(&mut self, item: &ItemResult) -> bool {
        if self.error.is_some() {
            return false;
        }
        let earlier = item
            .outcome
            .client_id()
            .and_then(|id| self.earlier.remove(id));
        // An earlier run's acceptance stands whatever this run met: the message went out.
        let earlier = match (&item.outcome, earlier) {
            (Outcome::Accepted { .. }, earlier) => earlier,
            (_, Some(line)) => {
                self.superseded.push(line);
                None
            }
            (_, None) => None,
        };
        let line = match (&item.outcome, earlier) {
            (
                Outcome::Accepted {
                    id: None,
                    client_id,
                    accepted_earlier: true,
                },
                Some(line),
            ) => {
                let outcome = Outcome::Accepted {
                    id: id_of(&line),
                    client_id: client_id.clone(),
                    accepted_earlier: true,
                };
                to_line(&ItemResult::new(item.index, outcome))
            }
            _ => to_line(item),
        };
        if let Err(e) = writeln!(self.writer, "{line}") {
            self.error = Some(e);
            return false;
        }
        true
    }

    /// Completes the file: when the run was cut short, the earlier accepted lines it did not
    /// reach are carried over (a complete run drops those of rows no longer in the input).
    pub fn finish(mut self, cut_short: bool) -> io::Result<()> {
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        for line in &self.superseded {
            writeln!(self.writer, "{}", carried(line))?;
        }
        if cut_short {
            for line in self.earlier.values() {
                writeln!(self.writer, "{}", carried(line))?;
            }
        }
        let file = self.writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        fs::rename(&self.partial, &self.path)
    }
}

/// `partial`, opened (created if need be, not emptied) and locked for this process alone;
/// `None` while another process holds it.
fn lock(partial: &Path) -> io::Result<Option<File>> {
    loop {
        let file = open_own(partial)?;
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Ok(None),
            // A file system without advisory locks: unguarded rather than no results at all.
            Err(TryLockError::Error(e)) if e.kind() == io::ErrorKind::Unsupported => {
                return Ok(Some(file))
            }
            Err(TryLockError::Error(e)) => return Err(e),
        }
        // The run that held the lock may have renamed the file over the results meanwhile:
        // the lock then holds that file, and the name is free to be taken anew.
        if still_named(&file, partial) {
            return Ok(Some(file));
        }
    }
}

/// `partial`, opened for reading and writing (created if need be, not emptied), when it is a
/// file of its own. The run empties and rewrites it: a symbolic link or a second hard link
/// planted under that name (in a shared directory, say) would have the run overwrite the file
/// it points to, and a FIFO or device would hang or swallow the results.
fn open_own(partial: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // Not followed, atomically with the open.
        options.custom_flags(libc::O_NOFOLLOW);
    }
    let not_own = |what: &str| {
        io::Error::other(format!(
            "it is {what}; remove it (a run writes its results there, then renames it over \
             the results file)"
        ))
    };
    let file = options.open(partial).map_err(|e| {
        #[cfg(unix)]
        if e.raw_os_error() == Some(libc::ELOOP) {
            return not_own("a symbolic link");
        }
        e
    })?;
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Err(not_own("not a regular file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if meta.nlink() > 1 {
            return Err(not_own("a file with other names (hard links)"));
        }
    }
    Ok(file)
}

/// Whether `path` still names the file `file` has open.
#[cfg(unix)]
fn still_named(file: &File, path: &Path) -> bool {
    use std::os::unix::fs::MetadataExt;
    match (file.metadata(), fs::symlink_metadata(path)) {
        (Ok(open), Ok(named)) => (open.dev(), open.ino()) == (named.dev(), named.ino()),
        _ => false,
    }
}

/// Elsewhere a file that is open cannot be renamed: the name is the file.
#[cfg(not(unix))]
fn still_named(_: &File, _: &Path) -> bool {
    true
}

/// The Instasent id of an earlier line, when it has one.
fn id_of(line: &str) -> Option<String> {
    let v: Value = serde_json::from_str(line).ok()?;
    v.get("id")?.as_str().map(str::to_string)
}

/// An earlier line carried into this run's file: its index was a row of the earlier run's
/// input, which may have changed since, so it is dropped and the line marked as carried.
fn carried(line: &str) -> String {
    match serde_json::from_str::<Value>(line) {
        Ok(Value::Object(mut fields)) => {
            fields.insert("index".into(), Value::Null);
            fields.insert("earlierRun".into(), Value::Bool(true));
            Value::Object(fields).to_string()
        }
        _ => line.to_string(),
    }
}

fn to_line(item: &ItemResult) -> String {
    serde_json::to_string(item).unwrap_or_default()
}

/// The accepted lines of a previous results file by clientId; other lines (and lines that are
/// not ours) are left out, as this run decides those rows again.
fn accepted_lines(file: impl Read) -> io::Result<HashMap<String, String>> {
    let mut lines = HashMap::new();
    for line in BufReader::new(file).lines() {
        let line = line?;
        let Ok(v) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        if v.get("outcome").and_then(Value::as_str) != Some("accepted") {
            continue;
        }
        if let Some(client_id) = v.get("clientId").and_then(Value::as_str) {
            lines.insert(client_id.to_string(), line);
        }
    }
    Ok(lines)
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use instasent::RejectStage;

    fn accepted(index: u64, id: Option<&str>, client_id: &str, earlier: bool) -> ItemResult {
        ItemResult::new(
            index,
            Outcome::Accepted {
                id: id.map(str::to_string),
                client_id: client_id.into(),
                accepted_earlier: earlier,
            },
        )
    }

    /// A fresh directory of this test's own under the system's temporary one.
    fn scratch(test: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("instasent-cli-{}-{test}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn read(path: &Path) -> Vec<Value> {
        fs::read_to_string(path)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    #[test]
    fn a_rerun_keeps_the_ids_of_rows_accepted_earlier_and_what_it_did_not_reach() {
        let dir = scratch("rerun");
        let (path, input) = (dir.join("r.jsonl"), dir.join("in.csv"));
        fs::write(&input, "to,text\n").unwrap();
        let mut first = ResultsFile::create(&path, &input).unwrap();
        for (i, id) in ["a", "b", "c"].iter().enumerate() {
            first.write(&accepted(i as u64, Some(&format!("id-{id}")), id, false));
        }
        first.finish(true).unwrap();

        // Cut short after one row: "a" comes back without an id, "b" and "c" were not reached.
        let mut second = ResultsFile::create(&path, &input).unwrap();
        second.write(&accepted(0, None, "a", true));
        assert!(path.exists(), "the previous file stays until the end");
        second.finish(true).unwrap();
        let mut lines = read(&path);
        lines.sort_by_key(|v| v["clientId"].as_str().unwrap().to_string());
        let ids: Vec<_> = lines.iter().map(|v| v["id"].as_str().unwrap()).collect();
        assert_eq!(ids, ["id-a", "id-b", "id-c"]);
        assert_eq!(lines[0]["acceptedEarlier"], true);
        assert_eq!(lines[0]["index"], 0);
        assert_eq!(
            (lines[1]["index"].clone(), lines[1]["earlierRun"].clone()),
            (Value::Null, Value::Bool(true))
        );

        // A complete run over a file that no longer has "c": its line is dropped; "b", refused
        // this time, keeps its earlier acceptance beside the refusal.
        let mut third = ResultsFile::create(&path, &input).unwrap();
        third.write(&accepted(0, None, "a", true));
        third.write(&ItemResult::new(
            1,
            Outcome::Rejected {
                client_id: Some("b".into()),
                stage: RejectStage::Local,
                fields: Default::default(),
            },
        ));
        third.finish(false).unwrap();
        let lines = read(&path);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0]["id"], "id-a");
        assert_eq!(lines[1]["outcome"], "rejected");
        assert_eq!(
            (lines[2]["id"].clone(), lines[2]["earlierRun"].clone()),
            (Value::from("id-b"), Value::Bool(true))
        );
        assert!(!dir.join("r.jsonl.partial").exists());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_failure_after_an_earlier_acceptance_keeps_the_acceptance() {
        let dir = scratch("failed-after");
        let (path, input) = (dir.join("r.jsonl"), dir.join("in.csv"));
        fs::write(&input, "to,text\n").unwrap();
        let mut first = ResultsFile::create(&path, &input).unwrap();
        first.write(&accepted(0, Some("id-a"), "a", false));
        first.finish(false).unwrap();

        let mut second = ResultsFile::create(&path, &input).unwrap();
        second.write(&ItemResult::new(
            0,
            Outcome::Failed {
                client_id: Some("a".into()),
                kind: instasent::ErrorKind::Server,
                message: "SERVER (HTTP 500)".into(),
            },
        ));
        second.finish(false).unwrap();
        let lines = read(&path);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0]["outcome"], "failed");
        assert_eq!(
            (lines[1]["id"].clone(), lines[1]["earlierRun"].clone()),
            (Value::from("id-a"), Value::Bool(true))
        );

        // A later run that the API answers "already used" gets the id back.
        let mut third = ResultsFile::create(&path, &input).unwrap();
        third.write(&accepted(0, None, "a", true));
        third.finish(false).unwrap();
        let lines = read(&path);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["id"], "id-a");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_run_killed_outright_leaves_its_flushed_lines_to_the_next() {
        let dir = scratch("killed");
        let (path, input) = (dir.join("r.jsonl"), dir.join("in.csv"));
        fs::write(&input, "to,text\n").unwrap();
        let mut killed = ResultsFile::create(&path, &input).unwrap();
        killed.write(&accepted(0, Some("id-a"), "a", false));
        assert!(killed.flush());
        // As a kill would: no finish, no rename; the file closes, and its lock with it.
        drop(killed);
        assert!(!path.exists());

        let mut next = ResultsFile::create(&path, &input).unwrap();
        next.write(&accepted(0, None, "a", true));
        next.finish(false).unwrap();
        assert_eq!(read(&path)[0]["id"], "id-a", "the killed run's id was lost");
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_input_file_and_stdout_are_refused() {
        let dir = scratch("refused");
        let input = dir.join("in.csv");
        fs::write(&input, "to,text\n+34600000000,hola\n").unwrap();
        let e = ResultsFile::create(&dir.join(".").join("in.csv"), &input)
            .err()
            .unwrap();
        assert!(e.to_string().contains("input file"), "{e}");
        assert_eq!(
            fs::read_to_string(&input).unwrap(),
            "to,text\n+34600000000,hola\n"
        );
        assert!(ResultsFile::create(Path::new("-"), &input).is_err());
        fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_second_writer_of_the_same_results_is_refused_until_the_first_is_done() {
        let dir = scratch("locked");
        let (path, input) = (dir.join("r.jsonl"), dir.join("in.csv"));
        fs::write(&input, "to,text\n").unwrap();
        let mut first = ResultsFile::create(&path, &input).unwrap();
        first.write(&accepted(0, Some("id-a"), "a", false));
        assert!(first.flush());
        let e = ResultsFile::create(&path, &input).err().unwrap();
        assert!(e.to_string().contains("another instasent campaign"), "{e}");
        assert_eq!(e.exit_code(), 2);
        first.finish(false).unwrap();
        assert_eq!(
            read(&path)[0]["id"],
            "id-a",
            "the refused run touched the file"
        );
        let next = ResultsFile::create(&path, &input).unwrap();
        next.finish(true).unwrap();
        assert_eq!(read(&path)[0]["id"], "id-a");
        fs::remove_dir_all(dir).unwrap();
    }
}
