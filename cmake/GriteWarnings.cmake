# grite_warnings(target): the project's warning policy for our own code.
# Generated parser/lexer sources get a lighter set (see gritec/CMakeLists.txt).
function(grite_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Werror -Wconversion -Wsign-conversion -Wshadow
    -Wstrict-prototypes -Wmissing-prototypes -Wvla -Wformat=2)
endfunction()
