// String helpers with Python's meaning, shared by every stage: xm split and stripped
// strings with Python 2's str methods, and int() decided what a number was.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xmc {

/// Python's str.split(sep) (no limit).
std::vector<std::string> SplitAll(std::string_view s, char sep);
/// Python's str.strip() (ASCII whitespace).
std::string Strip(std::string_view s);
/// Python's str.lower() on ASCII text.
std::string AsciiLower(std::string_view s);
/// Parses an integer the way Python's int(str) does (blanks around it allowed).
bool ParsePyInt(std::string_view text, int64_t* out);
/// True for six ':'-separated pairs of hex digits.
bool IsMacAddress(std::string_view text);
/// An IPv4 or IPv6 address or a host name (letters, digits, '.', '-'), as a VNC server
/// can listen on (libvirt's addrIPorName).
bool IsListenAddress(std::string_view text);
/// True if the first octet has the multicast bit set.
bool IsMulticastMac(std::string_view text);

/// A UUID as xend read and rewrote it (uuid.fromString/toString): dashes dropped, the first
/// 32 characters as hex digits (any further ones ignored), written 8-4-4-4-12 in lowercase.
/// Empty if xend could not read `text`.
std::string XendUuid(const std::string& text);

}  // namespace xmc

namespace xmc {

/// `text` safe to show on a terminal: control characters, DEL and bytes that are not
/// UTF-8 as \t, \n, \r, \xNN escapes; valid UTF-8 (and a backslash) as it is.
std::string EscapeForDisplay(std::string_view text);

/// Text for a manual page (roff): backslashes and dashes escaped, a leading . or ' guarded.
std::string RoffEscape(const std::string& s);

}  // namespace xmc
