// Adds what the machine knows about an event (paths, filters, processes) for the live sources. One
// implementation per OS; CreateSystemEnricher() gives none where there is nothing to look up.
#pragma once

#include <memory>

#include "model/block_event.h"

namespace wfp {

class Enricher {
 public:
  virtual ~Enricher() = default;
  // Fills what it can; a lookup that fails leaves its field empty, never the event.
  virtual void Enrich(const BlockEvent& event, Enrichment& out) = 0;
};

std::unique_ptr<Enricher> CreateSystemEnricher();

}  // namespace wfp
