// The usage text `xm create` printed on stdout after "Error: Invalid argument." (xm 4.4's
// create help, reproduced because `xmc create -x` must match xm's stdout byte for byte).
#pragma once

namespace xmc::cli {

inline constexpr char kXmCreateUsage[] = R"XMUSAGE(Usage: xm create <ConfigFile> [options] [vars]

Create a domain based on <ConfigFile>.

Options:

-h, --help           Print this help.
--help_config        Print the available configuration variables (vars)
                     for the configuration script.
-q, --quiet          Quiet.
--path=PATH          Search path for configuration scripts. The value of
                     PATH is a colon-separated directory list.
-f=FILE, --defconfig=FILE
                     Use the given Python configuration script.The
                     configuration script is loaded after arguments have
                     been processed. Each command-line option sets a
                     configuration variable named after its long option
                     name, and these variables are placed in the
                     environment of the script before it is loaded.
                     Variables for options that may be repeated have list
                     values. Other variables can be set using VAR=VAL on
                     the command line. After the script is loaded, option
                     values that were not set on the command line are
                     replaced by the values set in the script.
-F=FILE, --config=FILE
                     Domain configuration to use (SXP).
                     SXP is the underlying configuration format used by
                     Xen.
                     SXP configurations can be hand-written or generated
                     from Python configuration scripts, using the -n
                     (dryrun) option to print the configuration.
-n, --dryrun         Dry run - prints the resulting configuration in SXP
                     but does not create the domain.
-x, --xmldryrun      XML dry run - prints the resulting configuration in
                     XML but does not create the domain.
-s, --skipdtd        Skip DTD checking - skips checks on XML before
                     creating. Experimental. Can decrease create time.
-p, --paused         Leave the domain paused after it is created.
-c, --console_autoconnect
                     Connect to the console after the domain is created.
--vncviewer          Connect to the VNC display after the domain is
                     created.
--vncviewer-autopass Pass VNC password to viewer via stdin and -autopass.

)XMUSAGE";

/// The last line xm printed on stdout after "Unexpected error: <type 'exceptions.X'>" and
/// an empty line, when an exception it did not expect ended it.
inline constexpr char kXmReportTo[] = "Please report to xen-devel@lists.xen.org\n";

}  // namespace xmc::cli
