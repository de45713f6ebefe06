// Anchor for the precompiled catch.hpp shared by every test executable.
#include <catch2/catch.hpp>
