// Where xmc's results go: `-o FILE` written safely, standard output checked, and the
// signals that stop a run (SIGINT, SIGTERM) ending it cleanly.
#pragma once

#include <string>

namespace xmc::cli {

/// Writes `content` to `path` for `-o`. A regular file (or a new one) is replaced
/// atomically: a temporary file in the same directory, then rename, keeping the old
/// file's mode (a new one gets 0666 less the umask); on any failure the old file is left
/// untouched and the temporary file removed, also when SIGINT or SIGTERM stops xmc.
/// A device or FIFO (/dev/null, /dev/stdout) is written in place, never replaced. A
/// directory and the input file itself (`input`) are refused. False with `error`.
bool WriteOutput(const std::string& path, const std::string& content, const std::string& input, std::string* error);

/// SIGINT and SIGTERM end xmc at once with 128 + the signal (130 for ^C), after removing
/// an unfinished -o temporary file; the evaluator worker and its children end with it.
void InstallStopHandlers();

/// Flushes standard output; false (with `error`) if anything written to it was lost
/// (a full disk, a closed descriptor).
bool FinishStdout(std::string* error);

}  // namespace xmc::cli
