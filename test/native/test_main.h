// A small test harness for the native unit tests: named cases that register themselves, checks that
// count and report, and the real fixture records every case can read. `unit_tests --list` prints the
// case names; `unit_tests [name...]` runs them (all by default) and prints one JSON line per case,
// which test/native.test.ts turns into one vitest test each.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/event_catalog.h"
#include "model/event_record.h"
#include "xml/xml_event_reader.h"

namespace wfp::test {

struct Registration {
  Registration(const char* name, void (*run)());
};

void Check(bool ok, const std::string& what);

template <typename A, typename B>
void Equal(const A& actual, const B& expected, const std::string& what) {
  Check(actual == expected, what);
}

// Every record of every fixture file, one record per entry, with the file's name.
struct Fixture {
  std::string file;
  std::vector<std::string> xml;
};
const std::vector<Fixture>& Fixtures();  // from the folder named by WFP_FIXTURES

// The real .evtx files (test/fixtures/evtx, decompressed), from the folder named by WFP_EVTX_FIXTURES.
struct EvtxFile {
  std::string name;
  std::string bytes;
};
const std::vector<EvtxFile>& EvtxFixtures();

// Reads one record from `xml` (reusing `reader`); false when it is not a record.
bool Read(const std::string& xml, XmlEventReader& reader, EventRecord& record);
std::string Replaced(std::string s, std::string_view from, std::string_view to, bool all = false);

}  // namespace wfp::test

#define WFP_TEST_CONCAT2(a, b) a##b
#define WFP_TEST_CONCAT(a, b) WFP_TEST_CONCAT2(a, b)
// TEST_CASE("what it checks") { ... }
#define TEST_CASE(name)                                                            \
  static void WFP_TEST_CONCAT(TestCase_, __LINE__)();                              \
  static const ::wfp::test::Registration WFP_TEST_CONCAT(registration_, __LINE__)( \
      name, &WFP_TEST_CONCAT(TestCase_, __LINE__));                                \
  static void WFP_TEST_CONCAT(TestCase_, __LINE__)()
