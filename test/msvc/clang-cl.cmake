# A CMake toolchain that configures the project as MSVC would, with clang-cl (which CMake treats as
# MSVC) and test/msvc/lib.sh standing for lib.exe as CMAKE_AR, so that the MSVC-only parts of
# CMakeLists.txt (node.lib from cmake-js's .def file) run on Linux. Configure only: there is no Windows
# SDK here to compile against. Used by test/msvc.test.ts, which gives WFP_CLANG_CL and WFP_LLVM_BIN.
set(CMAKE_SYSTEM_NAME Windows)
set(CMAKE_SYSTEM_PROCESSOR AMD64)
set(CMAKE_C_COMPILER ${WFP_CLANG_CL})
set(CMAKE_CXX_COMPILER ${WFP_CLANG_CL})
set(CMAKE_C_COMPILER_TARGET x86_64-pc-windows-msvc)
set(CMAKE_CXX_COMPILER_TARGET x86_64-pc-windows-msvc)
set(CMAKE_AR ${CMAKE_CURRENT_LIST_DIR}/lib.sh)
set(CMAKE_MT ${WFP_LLVM_BIN}/llvm-mt)
set(CMAKE_RC_COMPILER ${WFP_LLVM_BIN}/llvm-rc)
set(CMAKE_LINKER ${WFP_LLVM_BIN}/llvm-lib)  # never run: nothing is linked
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
