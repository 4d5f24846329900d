/* Cells of the partnerships table (served by the app itself): the French authority's name links to its page.
 * The text is set as text (React escapes it), never as markup. */
var dagcomponentfuncs = (window.dashAgGridComponentFunctions = window.dashAgGridComponentFunctions || {});
dagcomponentfuncs.AuthorityLink = function (props) {
  if (!props.data || !props.data.authority_href) { return props.value || ''; }
  return React.createElement('a', {href: props.data.authority_href}, props.value);
};
