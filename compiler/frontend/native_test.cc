#include "compiler/frontend/native.h"

#include <doctest/doctest.h>

#include <tao/pegtl/contrib/analyze.hpp>

#include "compiler/frontend/native_grammar.h"

namespace xmc {
namespace {

Evaluation Parse(const std::string& text) {
  NativeRejection why;
  auto eval = ParseNative(SourceFile("t.cfg", text), &why);
  REQUIRE_MESSAGE(eval.has_value(), why.reason);
  return *eval;
}

bool Rejects(const std::string& text) {
  NativeRejection why;
  return !ParseNative(SourceFile("t.cfg", text), &why).has_value();
}

}  // namespace

TEST_CASE("the declarative grammar has no cycles without progress") {
  CHECK(tao::pegtl::analyze<native_grammar::file>(-1) == 0);
}

TEST_CASE("scalar assignments give values of the right kind") {
  struct Row {
    const char* source;
    std::string repr;
  } rows[] = {
      {"x = 5\n", "5"},
      {"x = -5\n", "-5"},
      {"x = 0x1F\n", "31"},
      {"x = 0o17\n", "15"},
      {"x = 1.5\n", "1.5"},
      {"x = .5e1\n", "5.0"},
      {"x = 'a b'\n", "'a b'"},
      {"x = \"it's\"\n", "\"it's\""},
      {"x = 'a' \"b\"\n", "'ab'"},
      {"x = r'\\d'\n", "'\\\\d'"},
      {"x = '\\x41\\n\\101'\n", "'A\\nA'"},
      {"x = '''multi\nline'''\n", "'multi\\nline'"},
      {"x = \"\"\"q'\",\"\"\"\n", "'q\\'\",'"},
      {"x = True\n", "True"},
      {"x = None\n", "None"},
      {"x = u'uni'\n", "u'uni'"},
      {"x = []\n", "[]"},
      {"x = [ 'a', 'b', ]\n", "['a', 'b']"},
      {"x = [[1, 2], [3]]\n", "[[1, 2], [3]]"},
      {"x = (1, 2)\n", "(1, 2)"},
      {"x = (1,)\n", "(1,)"},
      {"x = (5)\n", "5"},
      {"x = ()\n", "()"},
      {"x = 'a', 'b'\n", "('a', 'b')"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.source);
    Evaluation e = Parse(row.source);
    REQUIRE(e.bindings.size() == 1);
    CHECK(e.bindings[0].value.Repr() == row.repr);
  }
}

TEST_CASE("lists continue over lines with comments inside the brackets") {
  Evaluation e = Parse(
      "# comment\n"
      "disk = [ 'phy:a,hda,w',   # first\n"
      "         'file:/b,hdb,r' ]\n"
      "\n"
      "memory = 64  # MiB\n");
  REQUIRE(e.bindings.size() == 2);
  CHECK(e.bindings[0].name == "disk");
  CHECK(e.bindings[0].value.items().size() == 2);
  CHECK(e.bindings[1].value.as_int() == 64);
}

TEST_CASE("spans give the line and column of names and of each list element") {
  Evaluation e = Parse("name = 'x'\nvif = [ 'a=1',\n        'b=2' ]\n");
  const Binding& vif = e.bindings[1];
  CHECK(vif.name_span == Span{2, 1, 4});
  CHECK(vif.value.span().line == 2);
  CHECK(vif.value.span().column == 7);
  CHECK(vif.value.items()[0].span() == Span{2, 9, 14});
  CHECK(vif.value.items()[1].span() == Span{3, 9, 14});
}

TEST_CASE("a name assigned twice keeps its first position and its last value") {
  Evaluation e = Parse("a = 1\nb = 2\na = 3\n");
  REQUIRE(e.bindings.size() == 2);
  CHECK(e.bindings[0].name == "a");
  CHECK(e.bindings[0].value.as_int() == 3);
  CHECK(e.bindings[0].name_span.line == 3);
}

TEST_CASE("anything beyond plain assignments is left to the Python front end") {
  CHECK(Rejects("import os\n"));
  CHECK(Rejects("x = 1 + 2\n"));
  CHECK(Rejects("x = y\n"));
  CHECK(Rejects("x = 0755\n"));  // Python 2 octal: restored and reported by Python
  CHECK(Rejects("x = 1L\n"));    // Python 2 long
  CHECK(Rejects("  x = 1\n"));   // indentation
  CHECK(Rejects("x = {'a': 1}\n"));
  CHECK(Rejects("full-screen=1\n"));  // a syntax error: Python reports it
  CHECK(Rejects("if = 1\n"));
  CHECK(Rejects("x = 'caf\xc3\xa9'\n"));  // non-ASCII
  CHECK(Rejects("x = 99999999999999999999\n"));
  CHECK(Rejects("x = [1,\n"));
}

}  // namespace xmc
