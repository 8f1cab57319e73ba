package io.restfs.api;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The paging rules of {@code object.list} and {@code object.versions}, shared by every implementation so they refuse
 * the same cursors and limits in the same words. A page holds the entries after a cursor ({@code after}: the last
 * name, or the last version, of the previous page; none for the first page), at most {@code limit} of them
 * ({@link Limits#DEFAULT_PAGE} when not given). A page shorter than its limit is the last one.
 */
public final class Paging {
    private Paging() {
    }

    /** The page size a call asked for, or the default; INVALID_PARAMS outside 1 to {@link Limits#MAX_PAGE}. */
    public static int limit(Integer limit) {
        if (limit == null) {
            return Limits.DEFAULT_PAGE;
        }
        if (limit > Limits.MAX_PAGE) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "limit " + limit + " is over the largest page, "
                    + Limits.MAX_PAGE + " entries; page through with after");
        }
        if (limit < 1) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "limit must be 1 or more, not " + limit);
        }
        return limit;
    }

    /**
     * Checks a directory cursor: a name as {@link DirEntry#name()} gives it (not empty, no '/', at most
     * {@link Limits#MAX_PATH_BYTES} bytes). It need not still exist: the page starts after where it sorts.
     */
    public static String afterName(String after) {
        if (after != null && (after.isEmpty() || after.indexOf('/') >= 0
                || after.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_PATH_BYTES)) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "after must be the name of the previous page's last"
                    + " entry (not empty, no '/', at most " + Limits.MAX_PATH_BYTES + " bytes)");
        }
        return after;
    }

    /** Checks a version cursor: the previous page's last (oldest) version, 1 or more. */
    public static Long afterVersion(Long after) {
        if (after != null && after < 1) {
            throw new RestfsException(ErrorCode.INVALID_PARAMS, "after must be the version of the previous page's"
                    + " last entry (1 or more), not " + after);
        }
        return after;
    }

    /** The page of {@code sorted} (a directory's entries, sorted by name) after {@code after}, of at most limit. */
    public static List<DirEntry> entriesAfter(List<DirEntry> sorted, String after, Integer limit) {
        int max = limit(limit);
        afterName(after);
        int lo = 0;
        if (after != null) {
            int hi = sorted.size();
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (sorted.get(mid).name().compareTo(after) <= 0) {
                    lo = mid + 1;
                } else {
                    hi = mid;
                }
            }
        }
        return List.copyOf(sorted.subList(lo, Math.min(sorted.size(), lo + max)));
    }

    /**
     * Everything a paged call has, in its order: pages of {@link Limits#DEFAULT_PAGE} from {@code page} (given the
     * cursor and the limit), each after the cursor of the previous page's last entry, until a short page.
     */
    public static <T, C> List<T> all(BiFunction<C, Integer, List<T>> page, Function<T, C> cursorOf) {
        List<T> all = new ArrayList<>();
        C after = null;
        while (true) {
            List<T> p = page.apply(after, Limits.DEFAULT_PAGE);
            all.addAll(p);
            if (p.size() < Limits.DEFAULT_PAGE) {
                return all;
            }
            after = cursorOf.apply(p.get(p.size() - 1));
        }
    }
}
