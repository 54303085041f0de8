// SQL outside src/store/ would be refused too; this file is in store/, so it is allowed.
const char* kSql = "SELECT 1";
