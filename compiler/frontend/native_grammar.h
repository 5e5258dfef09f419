// The PEGTL grammar of declarative config files: small named rules only; the actions
// that build values live in native.cc.
#pragma once

#include <tao/pegtl.hpp>

namespace xmc::native_grammar {

namespace pegtl = tao::pegtl;
using namespace pegtl;  // NOLINT: grammar DSL

struct hspace : one<' ', '\t', '\f'> {};
struct comment : seq<one<'#'>, star<not_one<'\n', '\r'>>> {};
struct continuation : seq<one<'\\'>, eol> {};
/// Blanks that may stand between tokens on one logical line.
struct line_gap : star<sor<hspace, continuation>> {};
/// Inside brackets Python also joins lines and allows comments.
struct bracket_gap : star<sor<hspace, eol, comment, continuation>> {};

// Python 2 keywords (plus the Python 3 ones) cannot be assigned to.
struct keyword
    : seq<sor<TAO_PEGTL_STRING("and"), TAO_PEGTL_STRING("assert"), TAO_PEGTL_STRING("as"), TAO_PEGTL_STRING("break"),
              TAO_PEGTL_STRING("class"), TAO_PEGTL_STRING("continue"), TAO_PEGTL_STRING("def"), TAO_PEGTL_STRING("del"),
              TAO_PEGTL_STRING("elif"), TAO_PEGTL_STRING("else"), TAO_PEGTL_STRING("except"), TAO_PEGTL_STRING("exec"),
              TAO_PEGTL_STRING("finally"), TAO_PEGTL_STRING("for"), TAO_PEGTL_STRING("from"),
              TAO_PEGTL_STRING("global"), TAO_PEGTL_STRING("if"), TAO_PEGTL_STRING("import"), TAO_PEGTL_STRING("in"),
              TAO_PEGTL_STRING("is"), TAO_PEGTL_STRING("lambda"), TAO_PEGTL_STRING("not"), TAO_PEGTL_STRING("or"),
              TAO_PEGTL_STRING("pass"), TAO_PEGTL_STRING("print"), TAO_PEGTL_STRING("raise"),
              TAO_PEGTL_STRING("return"), TAO_PEGTL_STRING("try"), TAO_PEGTL_STRING("while"), TAO_PEGTL_STRING("with"),
              TAO_PEGTL_STRING("yield"), TAO_PEGTL_STRING("nonlocal"), TAO_PEGTL_STRING("async"),
              TAO_PEGTL_STRING("await"), TAO_PEGTL_STRING("True"), TAO_PEGTL_STRING("False"), TAO_PEGTL_STRING("None")>,
          not_at<identifier_other>> {};
struct name : seq<not_at<keyword>, identifier> {};

// Numbers. Python 2 octals (0755) and long suffixes (1L) are left to the Python front end,
// which restores their Python 2 meaning and reports it.
struct digits : plus<digit> {};
struct exponent : seq<one<'e', 'E'>, opt<one<'+', '-'>>, digits> {};
struct float_lit : seq<sor<seq<digits, one<'.'>, opt<digits>>, seq<one<'.'>, digits>>, opt<exponent>> {};
struct float_exp : seq<digits, exponent> {};
struct hex_int : seq<one<'0'>, one<'x', 'X'>, plus<xdigit>> {};
struct oct_int : seq<one<'0'>, one<'o', 'O'>, plus<odigit>> {};
struct bin_int : seq<one<'0'>, one<'b', 'B'>, plus<one<'0', '1'>>> {};
struct dec_int : sor<seq<range<'1', '9'>, star<digit>>, plus<one<'0'>>> {};
struct number_end : not_at<sor<identifier_other, one<'.'>>> {};
struct number : seq<sor<float_lit, float_exp, hex_int, oct_int, bin_int, dec_int>, number_end> {};
struct sign : one<'-', '+'> {};
struct signed_number : seq<star<sign, line_gap>, number> {};

// Strings: optional prefix, then one of the four quote forms.
struct str_prefix : opt<sor<seq<one<'u', 'U', 'b', 'B'>, opt<one<'r', 'R'>>>, one<'r', 'R'>>> {};
struct escaped : seq<one<'\\'>, any> {};
template <char Q>
struct short_body : star<sor<escaped, not_one<Q, '\\', '\n', '\r'>>> {};
template <char Q>
struct long_body : star<not_at<three<Q>>, sor<escaped, any>> {};
struct str_sq3 : seq<three<'\''>, long_body<'\''>, three<'\''>> {};
struct str_dq3 : seq<three<'"'>, long_body<'"'>, three<'"'>> {};
struct str_sq : seq<one<'\''>, short_body<'\''>, one<'\''>> {};
struct str_dq : seq<one<'"'>, short_body<'"'>, one<'"'>> {};
struct string_piece : seq<str_prefix, sor<str_sq3, str_dq3, str_sq, str_dq>> {};

struct constant : seq<sor<TAO_PEGTL_STRING("True"), TAO_PEGTL_STRING("False"), TAO_PEGTL_STRING("None")>,
                      not_at<identifier_other>> {};

struct expr;
template <typename Gap>
struct strings : seq<string_piece, star<Gap, string_piece>> {};
struct list_open : one<'['> {};
struct list_close : one<']'> {};
struct list_items : opt<expr, star<bracket_gap, one<','>, bracket_gap, expr>, bracket_gap, opt<one<','>>> {};
struct list_lit : seq<list_open, bracket_gap, list_items, bracket_gap, list_close> {};
struct paren_open : one<'('> {};
struct paren_close : one<')'> {};
struct paren_comma : one<','> {};
struct paren_items : opt<expr, star<bracket_gap, paren_comma, bracket_gap, expr>, bracket_gap, opt<paren_comma>> {};
struct paren_lit : seq<paren_open, bracket_gap, paren_items, bracket_gap, paren_close> {};

// Inside brackets adjacent strings may sit on different lines; at top level only blanks
// and continuations separate them.
struct bracket_strings : strings<bracket_gap> {};
struct line_strings : strings<line_gap> {};
struct expr : sor<bracket_strings, signed_number, constant, list_lit, paren_lit> {};
struct top_comma : one<','> {};
struct top_expr_first : sor<line_strings, signed_number, constant, list_lit, paren_lit> {};
struct top_expr : seq<top_expr_first, star<line_gap, top_comma, line_gap, expr>, opt<line_gap, top_comma>> {};

struct target : name {};
struct assignment : seq<target, line_gap, one<'='>, not_at<one<'='>>, line_gap, top_expr> {};
struct line_tail : seq<line_gap, opt<comment>, sor<eol, eof>> {};
struct blank_line : seq<star<hspace>, opt<comment>, eol> {};
struct statement_line : seq<assignment, line_tail> {};
struct last_blank : seq<star<hspace>, opt<comment>, eof> {};
struct file : seq<star<sor<blank_line, statement_line>>, must<last_blank>> {};

}  // namespace xmc::native_grammar
